<?xml version="1.0" encoding="UTF-8"?>
<!--
  Canonical TradeTransaction -> UN/EDIFACT CUSDEC D96B export declaration, one interchange with one message, for a
  single window that takes declarations over AS2 (answers come back as CUSRES, correlated by the LRN).

  Why D96B: it is the directory the WCO's CUSDEC/CUSRES guidelines and most EDIFACT-era single windows were built
  on, and later directories changed CUSDEC's structure little for an export declaration. A single window's own
  message implementation guide (MIG) narrows qualifiers further: adapt a copy of this template per window.

  Header (segment tags and qualifiers from the D96B directory and its code lists):
    BGM 1001 = 830 goods declaration for exportation, 1004 = our LRN, 1225 = 9 original
    DTM 137 document date;  LOC 22 customs office of exit, 35 country of exportation, 28 country of destination
    RFF ABE declarant's reference = LRN (the single window quotes it back in CUSRES)
    NAD EX exporter, CN consignee, DT declarant (EORI with code list 'ZZZ' mutually defined)
    TOD delivery terms (Incoterms 2020, code list responsible agency 9 = ICC via 3055)
    MOA 39 invoice total amount with currency; GIS 1 procedure code
  Items (after UNS+D): CST item number + HS commodity code (7143 'HS'); FTX AAA goods description; LOC 27 country
  of origin; MEA WT AAA net weight / G gross weight (KGM); QTY 47 invoiced quantity; MOA 66 goods item value.
  UNS+S, CNT 5 number of items.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:w="urn:tradehub:edifact-writer"
    xmlns:t="urn:tradehub:trade-transaction:1"
    exclude-result-prefixes="#all">

  <xsl:include href="edifact-writer.xsl"/>
  <xsl:output method="text" encoding="ISO-8859-1"/>

  <xsl:param name="lrn" as="xs:string"/>
  <xsl:param name="controlRef" as="xs:string"/>
  <xsl:param name="ourId" as="xs:string"/>
  <xsl:param name="ourQualifier" as="xs:string" select="''"/>
  <xsl:param name="theirId" as="xs:string"/>
  <xsl:param name="theirQualifier" as="xs:string" select="''"/>
  <xsl:param name="interchangeDate" as="xs:string"/>  <!-- YYMMDD -->
  <xsl:param name="interchangeTime" as="xs:string"/>  <!-- HHMM -->
  <xsl:param name="documentDateTime" as="xs:string"/> <!-- CCYYMMDDHHMM -->
  <xsl:param name="testIndicator" as="xs:string" select="''"/>
  <xsl:param name="declarantEori" as="xs:string" select="''"/>
  <xsl:param name="exitOfficeId" as="xs:string" select="''"/>
  <xsl:param name="procedureCode" as="xs:string" select="''"/>

  <xsl:template match="/t:TradeTransaction">
    <xsl:variable name="seller" select="t:SellerTradeParty"/>
    <xsl:variable name="consignee" select="(t:ShipToTradeParty, t:BuyerTradeParty)[1]"/>
    <xsl:variable name="currency" select="string(t:InvoiceCurrencyCode)"/>
    <xsl:variable name="header" as="xs:string*" select="(
        w:segment('BGM', (['830'], [$lrn], ['9'])),
        w:segment('DTM', (['137', $documentDateTime, '203'])),
        if ($exitOfficeId) then w:segment('LOC', (['22'], [$exitOfficeId])) else (),
        w:segment('LOC', (['35'], [string($seller/t:PostalAddress/t:CountryID)])),
        w:segment('LOC', (['28'], [string(($consignee/t:PostalAddress/t:CountryID, t:Shipment/t:DestinationCountryID)[1])])),
        if ($procedureCode) then w:segment('GIS', ([$procedureCode, '', '', ''])) else (),
        w:segment('MOA', (['39', w:num(t:MonetarySummation/t:GrandTotalAmount), $currency])),
        w:segment('RFF', (['ABE', $lrn])),
        w:segment('RFF', (['ON', string(t:Source/t:ExternalOrderID)])),
        t:party('EX', $seller, string($seller/t:ID[@schemeID = 'EORI'][1])),
        t:party('CN', $consignee, ''),
        if ($declarantEori) then w:segment('NAD', (['DT'], [$declarantEori, '', 'ZZZ'])) else (),
        if (t:DeliveryTerms) then w:segment('TOD', ([], [], [string(t:DeliveryTerms/t:IncotermsCode), '', '9',
            string(t:DeliveryTerms/(t:PlaceLocode, t:PlaceName)[1])])) else ()
      )"/>
    <xsl:variable name="items" as="xs:string*">
      <xsl:for-each select="t:LineItem">
        <xsl:sequence select="(
            w:segment('CST', ([string(t:LineID)], [string(t:HSCode), '122', '', 'HS'])),
            w:segment('FTX', (['AAA'], [], [], [substring(t:Description, 1, 512)])),
            if (t:OriginCountryID) then w:segment('LOC', (['27'], [string(t:OriginCountryID)])) else (),
            if (t:NetMass) then w:segment('MEA', (['WT'], ['AAA'], [string(t:NetMass/@unitCode), w:num(t:NetMass)])) else (),
            if (t:GrossMass) then w:segment('MEA', (['WT'], ['G'], [string(t:GrossMass/@unitCode), w:num(t:GrossMass)])) else (),
            w:segment('QTY', (['47', w:num(t:Quantity), string(t:Quantity/@unitCode)])),
            w:segment('MOA', (['66', w:num(t:LineAmount), $currency])))"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:value-of select="w:interchange(
        map { 'ourId': $ourId, 'ourQualifier': $ourQualifier, 'theirId': $theirId, 'theirQualifier': $theirQualifier,
              'controlRef': $controlRef, 'date': $interchangeDate, 'time': $interchangeTime, 'test': $testIndicator,
              'syntax': 'UNOC', 'messageRef': '1', 'messageId': ['CUSDEC', 'D', '96B', 'UN'] },
        ($header, w:segment('UNS', (['D'])), $items, w:segment('UNS', (['S'])),
         w:segment('CNT', (['5', string(count(t:LineItem))])))
      )"/>
  </xsl:template>

  <!-- NAD with party id, name and structured address (3035 qualifier, C082 id, C080 name, C059 street, city ...) -->
  <xsl:function name="t:party" as="xs:string?">
    <xsl:param name="qualifier" as="xs:string"/>
    <xsl:param name="p" as="element()?"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if (empty($p)) then () else w:segment('NAD', (
        [$qualifier], [$id, '', if ($id) then 'ZZZ' else ''], [],
        [substring($p/t:Name, 1, 35), substring($p/t:Name, 36, 35)],
        [substring($p/t:PostalAddress/t:LineOne, 1, 35), substring($p/t:PostalAddress/t:LineTwo, 1, 35)],
        [substring($p/t:PostalAddress/t:CityName, 1, 35)],
        [substring-after($p/t:PostalAddress/t:CountrySubDivisionID, '-')],
        [string($p/t:PostalAddress/t:PostcodeCode)],
        [string($p/t:PostalAddress/t:CountryID)]))"/>
  </xsl:function>
</xsl:stylesheet>
