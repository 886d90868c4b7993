<?xml version="1.0" encoding="UTF-8"?>
<!--
  canonical-to-dms-export.xsl: canonical TradeTransaction (urn:tradehub:trade-transaction:1) to an HMRC CDS export
  declaration (WCO DMS 3.6: md:MetaData wrapping a DEC-DMS Declaration). Called as
  xslt-saxon:file:mappings/outbound/canonical-to-dms-export.xsl; validate the result against
  mappings/schemas/wco/dms-declaration.xsd (the single-file entry point that imports the metadata wrapper and the
  Declaration schema; see mappings/schemas/wco/SOURCE.md).

  Declaration type: EXD = EX (export, DE 1/1) + D (standard declaration lodged before the goods are presented,
  "pre-lodged", DE 1/2), as in HMRC's TT_EX001a. A small exporter has no simplified-procedure authorisation (EXC in
  TT_EX002a needs CSE/SDE), and a supplementary declaration (EXY, TT_EX004a) only follows a simplified one. Pre-lodging
  lets the hub declare when the order is packed; CDS then waits for arrival at the goods location.

  Parameters (the tenant's customs profile; Camel passes exchange headers of the same name as xsl:params).
  Empty values fall back to the default.
    lrn                      DE 2/5 LRN / FunctionalReferenceID. Default: "TH" + the source order id, letters and
                             digits only, at most 22 characters (HMRC's LRN length).
    declarantEori            DE 3/18 declarant EORI. Default: the exporter's EORI (self-representation, statement
                             00400 "EXPORTER" as in TT_EX001a).
    exitOfficeId             DE 5/12 office of exit. Default GB000040 (Dover/Eurotunnel).
    goodsLocationName        DE 5/23 goods location id. Default DVRDOVDVR (Dover, TT_EX001a).
    goodsLocationCountry     DE 5/23 country of the goods location; also DE 5/14 export country. Default GB.
    goodsLocationTypeCode    DE 5/23 type of location. Default A (designated location).
    goodsLocationQualifier   DE 5/23 qualifier of the identification. Default U (UN/LOCODE based).
    procedureCode            DE 1/10 requested + previous procedure, 4 digits. Default 1040 (permanent export of
                             goods in free circulation).
    additionalProcedureCode  DE 1/11. Default 000 (none).
    borderTransportModeCode  DE 7/4 mode of transport at the border (1 sea, 3 road, 4 air ...). Default 1.
    inlandTransportModeCode  DE 7/5 inland mode of transport. Default empty: not declared.
    statisticalValueCurrency DE 8/6 currency of the statistical value. Default GBP (HMRC wants sterling).
    exchangeRate             units of statisticalValueCurrency per one unit of the invoice currency, used only when
                             the two differ. Default empty: then the transformation stops with an error rather than
                             declare a wrong value.
    declarationTypeCode      DE 1/1 + 1/2. Default EXD (see above).
    natureOfTransactionCode  DE 8/5. Default 11 (outright purchase/sale): every canonical transaction is a sale.
    packageTypeCode          DE 6/9. Default PK (package), as in HMRC's examples.
    ducr                     DE 2/1 DUCR (previous document Z/DCR). Default: last digit of the order year +
                             exporter EORI + "-" + the order number (letters and digits, at most 19).

  Commodity code (DE 6/14, Classification type TSP): CDS wants the 8-digit UK/EU commodity code. Longer national
  codes are cut to 8 digits. A 6-digit HS code is kept as it is, not padded with "00": the 8-digit subheading "…00"
  does not exist under every HS subheading, and a guessed code is a false statement to customs. The hub's intake
  refuses such an order before it is declared (ExportReadiness: the catalogue's 8-digit code extends an order's 6, or
  the firm adds it and replays); a declaration that still carries one is rejected by CDS (and the sandbox) with a
  pointer to the item.

  Amounts and masses are xs:decimal throughout (no xs:double), rounded to 2 (money) and 6 (mass) places.
  Errors raised here (error code namespace urn:tradehub:error) stop the transformation: the hub never sends a
  declaration it knows to be incomplete.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tt="urn:tradehub:trade-transaction:1"
    xmlns:th="urn:tradehub:xslt"
    xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
    xmlns="urn:wco:datamodel:WCO:DEC-DMS:2"
    exclude-result-prefixes="xs tt th">

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:param name="lrn" select="''"/>
  <xsl:param name="declarantEori" select="''"/>
  <xsl:param name="exitOfficeId" select="'GB000040'"/>
  <xsl:param name="goodsLocationName" select="'DVRDOVDVR'"/>
  <xsl:param name="goodsLocationCountry" select="'GB'"/>
  <xsl:param name="goodsLocationTypeCode" select="'A'"/>
  <xsl:param name="goodsLocationQualifier" select="'U'"/>
  <xsl:param name="procedureCode" select="'1040'"/>
  <xsl:param name="additionalProcedureCode" select="'000'"/>
  <xsl:param name="borderTransportModeCode" select="'1'"/>
  <xsl:param name="inlandTransportModeCode" select="''"/>
  <xsl:param name="statisticalValueCurrency" select="'GBP'"/>
  <xsl:param name="exchangeRate" select="''"/>
  <xsl:param name="declarationTypeCode" select="'EXD'"/>
  <xsl:param name="natureOfTransactionCode" select="'11'"/>
  <xsl:param name="packageTypeCode" select="'PK'"/>
  <xsl:param name="ducr" select="''"/>

  <!-- A parameter's value, or the default when it is absent or blank (Camel may pass an empty header). -->
  <xsl:function name="th:param" as="xs:string">
    <xsl:param name="value"/>
    <xsl:param name="default" as="xs:string"/>
    <xsl:sequence select="if (normalize-space(string($value))) then normalize-space(string($value)) else $default"/>
  </xsl:function>

  <!-- Text cut to the WCO field length; whitespace runs collapsed. -->
  <xsl:function name="th:text" as="xs:string">
    <xsl:param name="value"/>
    <xsl:param name="max" as="xs:integer"/>
    <xsl:sequence select="normalize-space(substring(normalize-space(string($value)), 1, $max))"/>
  </xsl:function>

  <!-- A canonical MeasureType in kilograms, exact decimal, 6 places (the DMS mass fraction digits). -->
  <xsl:function name="th:kg" as="xs:decimal?">
    <xsl:param name="m" as="element()?"/>
    <xsl:sequence select="
      if (empty($m)) then ()
      else
        let $v := xs:decimal($m),
            $u := string($m/@unitCode),
            $factor := if ($u = 'KGM') then 1.0
                       else if ($u = 'GRM') then 0.001
                       else if ($u = 'TNE') then 1000.0
                       else if ($u = 'LBR') then 0.45359237
                       else if ($u = 'ONZ') then 0.028349523125
                       else error(QName('urn:tradehub:error', 'UNKNOWN_MASS_UNIT'),
                           'Cannot convert mass unit ''' || $u || ''' to kilograms (line ' || $m/../tt:LineID || ')')
        return round($v * $factor, 6)"/>
  </xsl:function>

  <xsl:function name="th:money" as="xs:string">
    <xsl:param name="amount" as="xs:decimal"/>
    <xsl:sequence select="format-number(round($amount, 2), '0.00')"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:apply-templates select="tt:TradeTransaction"/>
  </xsl:template>

  <xsl:template match="/*" priority="-1">
    <xsl:sequence select="error(QName('urn:tradehub:error', 'NOT_A_TRADE_TRANSACTION'),
      'Expected a canonical tt:TradeTransaction (urn:tradehub:trade-transaction:1), got ' || name())"/>
  </xsl:template>

  <xsl:template match="tt:TradeTransaction">
    <xsl:variable name="tx" select="."/>
    <xsl:variable name="exporter" select="tt:SellerTradeParty"/>
    <xsl:variable name="exporterEori" select="normalize-space($exporter/tt:ID[@schemeID = 'EORI'][1])"/>
    <xsl:if test="not($exporterEori)">
      <xsl:sequence select="error(QName('urn:tradehub:error', 'NO_EXPORTER_EORI'),
        'Cannot build the export declaration for order ' || tt:Source/tt:ExternalOrderID
        || ': the exporter (SellerTradeParty) has no EORI (ID with schemeID=''EORI''). Add the EORI to the tenant''s exporter profile.')"/>
    </xsl:if>
    <xsl:if test="count(tt:LineItem) gt 999">
      <xsl:sequence select="error(QName('urn:tradehub:error', 'TOO_MANY_ITEMS'),
        'A CDS declaration holds at most 999 goods items; this order has ' || count(tt:LineItem))"/>
    </xsl:if>

    <xsl:variable name="orderRef" select="replace(string((tt:Source/tt:ExternalOrderNumber, tt:Source/tt:ExternalOrderID)[1]), '[^A-Za-z0-9]', '')"/>
    <xsl:variable name="lrnValue" select="th:param($lrn, substring('TH' || replace(tt:Source/tt:ExternalOrderID, '[^A-Za-z0-9]', ''), 1, 22))"/>
    <xsl:variable name="declarant" select="th:param($declarantEori, $exporterEori)"/>
    <xsl:variable name="ducrValue" select="th:param($ducr,
      substring(string(year-from-dateTime(xs:dateTime(tt:IssueDateTime))), 4, 1) || $exporterEori || '-' || upper-case(substring($orderRef, 1, 19)))"/>

    <xsl:variable name="invoiceCurrency" select="normalize-space(tt:InvoiceCurrencyCode)"/>
    <xsl:variable name="statCurrency" select="th:param($statisticalValueCurrency, 'GBP')"/>
    <xsl:variable name="rate" as="xs:decimal">
      <xsl:choose>
        <xsl:when test="$invoiceCurrency = $statCurrency">1</xsl:when>
        <xsl:when test="normalize-space(string($exchangeRate)) castable as xs:decimal
                        and xs:decimal(normalize-space(string($exchangeRate))) gt 0">
          <xsl:sequence select="xs:decimal(normalize-space(string($exchangeRate)))"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="error(QName('urn:tradehub:error', 'NO_EXCHANGE_RATE'),
            'The order is invoiced in ' || $invoiceCurrency || ' but the statistical value must be declared in '
            || $statCurrency || ': pass the exchangeRate parameter (' || $statCurrency || ' per 1 ' || $invoiceCurrency || ').')"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>

    <xsl:variable name="procedure" select="th:param($procedureCode, '1040')"/>
    <xsl:variable name="consigneeParty" select="(tt:ShipToTradeParty, tt:BuyerTradeParty)[1]"/>
    <xsl:variable name="destination" select="(tt:Shipment/tt:DestinationCountryID, $consigneeParty/tt:PostalAddress/tt:CountryID, tt:BuyerTradeParty/tt:PostalAddress/tt:CountryID)[1]"/>
    <xsl:variable name="packages" as="xs:integer"
        select="if (tt:Shipment/tt:PackageQuantity and xs:integer(tt:Shipment/tt:PackageQuantity) gt 0)
                then xs:integer(tt:Shipment/tt:PackageQuantity) else 1"/>
    <xsl:variable name="singleLine" select="count(tt:LineItem) = 1"/>

    <md:MetaData>
      <md:WCODataModelVersionCode>3.6</md:WCODataModelVersionCode>
      <md:WCOTypeName>DEC</md:WCOTypeName>
      <md:ResponsibleCountryCode>GB</md:ResponsibleCountryCode>
      <md:ResponsibleAgencyName>HMRC</md:ResponsibleAgencyName>
      <md:AgencyAssignedCustomizationVersionCode>v2.1</md:AgencyAssignedCustomizationVersionCode>
      <Declaration>
        <!-- 9 = original declaration -->
        <FunctionCode>9</FunctionCode>
        <FunctionalReferenceID><xsl:value-of select="$lrnValue"/></FunctionalReferenceID>
        <TypeCode><xsl:value-of select="th:param($declarationTypeCode, 'EXD')"/></TypeCode>
        <GoodsItemQuantity><xsl:value-of select="count(tt:LineItem)"/></GoodsItemQuantity>
        <!-- DE 4/11 total amount invoiced, in the invoice currency -->
        <InvoiceAmount currencyID="{$invoiceCurrency}"><xsl:value-of select="th:money(xs:decimal(tt:MonetarySummation/tt:GrandTotalAmount))"/></InvoiceAmount>
        <!-- DE 6/18 -->
        <TotalPackageQuantity><xsl:value-of select="$packages"/></TotalPackageQuantity>
        <BorderTransportMeans>
          <ModeCode><xsl:value-of select="th:param($borderTransportModeCode, '1')"/></ModeCode>
        </BorderTransportMeans>
        <Declarant>
          <ID><xsl:value-of select="$declarant"/></ID>
        </Declarant>
        <ExitOffice>
          <ID><xsl:value-of select="th:param($exitOfficeId, 'GB000040')"/></ID>
        </ExitOffice>
        <Exporter>
          <xsl:call-template name="party">
            <xsl:with-param name="party" select="$exporter"/>
            <xsl:with-param name="id" select="$exporterEori"/>
          </xsl:call-template>
        </Exporter>
        <GoodsShipment>
          <Consignee>
            <xsl:call-template name="party">
              <xsl:with-param name="party" select="$consigneeParty"/>
            </xsl:call-template>
          </Consignee>
          <Consignment>
            <xsl:if test="normalize-space(string($inlandTransportModeCode))">
              <DepartureTransportMeans>
                <ModeCode><xsl:value-of select="normalize-space(string($inlandTransportModeCode))"/></ModeCode>
              </DepartureTransportMeans>
            </xsl:if>
            <GoodsLocation>
              <Name><xsl:value-of select="th:param($goodsLocationName, 'DVRDOVDVR')"/></Name>
              <TypeCode><xsl:value-of select="th:param($goodsLocationTypeCode, 'A')"/></TypeCode>
              <Address>
                <TypeCode><xsl:value-of select="th:param($goodsLocationQualifier, 'U')"/></TypeCode>
                <CountryCode><xsl:value-of select="th:param($goodsLocationCountry, 'GB')"/></CountryCode>
              </Address>
            </GoodsLocation>
          </Consignment>
          <xsl:if test="$destination">
            <Destination>
              <CountryCode><xsl:value-of select="normalize-space($destination)"/></CountryCode>
            </Destination>
          </xsl:if>
          <ExportCountry>
            <ID><xsl:value-of select="th:param($goodsLocationCountry, 'GB')"/></ID>
          </ExportCountry>
          <xsl:for-each select="tt:LineItem">
            <xsl:variable name="hs" select="replace(string(tt:HSCode), '[^0-9]', '')"/>
            <xsl:variable name="gross" select="(th:kg(tt:GrossMass), if ($singleLine) then th:kg($tx/tt:Shipment/tt:GrossMass) else ())[1]"/>
            <xsl:variable name="net" select="th:kg(tt:NetMass)"/>
            <GovernmentAgencyGoodsItem>
              <SequenceNumeric><xsl:value-of select="position()"/></SequenceNumeric>
              <StatisticalValueAmount currencyID="{$statCurrency}"><xsl:value-of select="th:money(xs:decimal(tt:LineAmount) * $rate)"/></StatisticalValueAmount>
              <TransactionNatureCode><xsl:value-of select="th:param($natureOfTransactionCode, '11')"/></TransactionNatureCode>
              <xsl:if test="$declarant = $exporterEori">
                <!-- DE 2/2 00400: the declarant is the exporter (self-representation) -->
                <AdditionalInformation>
                  <StatementCode>00400</StatementCode>
                  <StatementDescription>EXPORTER</StatementDescription>
                </AdditionalInformation>
              </xsl:if>
              <Commodity>
                <Description><xsl:value-of select="th:text(tt:Description, 512)"/></Description>
                <xsl:if test="$hs">
                  <Classification>
                    <ID><xsl:value-of select="if (string-length($hs) ge 8) then substring($hs, 1, 8) else $hs"/></ID>
                    <IdentificationTypeCode>TSP</IdentificationTypeCode>
                  </Classification>
                </xsl:if>
                <xsl:if test="exists($gross) or exists($net)">
                  <GoodsMeasure>
                    <xsl:if test="exists($gross)"><GrossMassMeasure><xsl:value-of select="$gross"/></GrossMassMeasure></xsl:if>
                    <xsl:if test="exists($net)"><NetNetWeightMeasure><xsl:value-of select="$net"/></NetNetWeightMeasure></xsl:if>
                  </GoodsMeasure>
                </xsl:if>
              </Commodity>
              <GovernmentProcedure>
                <CurrentCode><xsl:value-of select="substring($procedure, 1, 2)"/></CurrentCode>
                <PreviousCode><xsl:value-of select="substring($procedure, 3, 2)"/></PreviousCode>
              </GovernmentProcedure>
              <GovernmentProcedure>
                <CurrentCode><xsl:value-of select="th:param($additionalProcedureCode, '000')"/></CurrentCode>
              </GovernmentProcedure>
              <Packaging>
                <SequenceNumeric>1</SequenceNumeric>
                <MarksNumbersID><xsl:value-of select="($orderRef[. != ''], $lrnValue)[1]"/></MarksNumbersID>
                <!-- All lines travel packed together: the first item carries the shipment's packages, the others 0,
                     so the items add up to TotalPackageQuantity. -->
                <QuantityQuantity><xsl:value-of select="if (position() = 1) then $packages else 0"/></QuantityQuantity>
                <TypeCode><xsl:value-of select="th:param($packageTypeCode, 'PK')"/></TypeCode>
              </Packaging>
            </GovernmentAgencyGoodsItem>
          </xsl:for-each>
          <!-- DE 2/1: the DUCR (declaration unique consignment reference) -->
          <PreviousDocument>
            <CategoryCode>Z</CategoryCode>
            <ID><xsl:value-of select="$ducrValue"/></ID>
            <TypeCode>DCR</TypeCode>
            <LineNumeric>1</LineNumeric>
          </PreviousDocument>
        </GoodsShipment>
      </Declaration>
    </md:MetaData>
  </xsl:template>

  <!-- Name, ID and address of a party in WCO order (Name, ID, Address: CityName, CountryCode, Line, PostcodeID). -->
  <xsl:template name="party">
    <xsl:param name="party" as="element()?"/>
    <xsl:param name="id" as="xs:string?" select="()"/>
    <xsl:variable name="addr" select="$party/tt:PostalAddress"/>
    <xsl:variable name="line" select="string-join(($addr/tt:LineOne, $addr/tt:LineTwo)[normalize-space()] ! normalize-space(), ', ')"/>
    <xsl:if test="normalize-space($party/tt:Name)">
      <Name><xsl:value-of select="th:text($party/tt:Name, 70)"/></Name>
    </xsl:if>
    <xsl:if test="$id">
      <ID><xsl:value-of select="$id"/></ID>
    </xsl:if>
    <xsl:if test="$addr">
      <Address>
        <xsl:if test="normalize-space($addr/tt:CityName)"><CityName><xsl:value-of select="th:text($addr/tt:CityName, 35)"/></CityName></xsl:if>
        <CountryCode><xsl:value-of select="normalize-space($addr/tt:CountryID)"/></CountryCode>
        <xsl:if test="$line"><Line><xsl:value-of select="th:text($line, 70)"/></Line></xsl:if>
        <xsl:if test="normalize-space($addr/tt:PostcodeCode)"><PostcodeID><xsl:value-of select="th:text($addr/tt:PostcodeCode, 9)"/></PostcodeID></xsl:if>
      </Address>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
