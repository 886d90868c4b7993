<?xml version="1.0" encoding="UTF-8"?>
<!--
  service-common.xsl: what every provider document shares, included by the canonical-to-<document>.xsl templates.
  Input of every service template: the hub's ServiceInput envelope (urn:tradehub:service-input:1)
    <ServiceInput reference="..." service="..." provider="..." issuedAt="..." [iossNumber="..."]>
      <Member transactionId="..." [lowValueRegime="..."]> canonical TradeTransaction </Member>  (one or more)
    </ServiceInput>
  Output elements are in urn:tradehub:services:1; each document has its schema in mappings/schemas/services/.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:in="urn:tradehub:service-input:1"
    xmlns:tt="urn:tradehub:trade-transaction:1" xmlns="urn:tradehub:services:1"
    exclude-result-prefixes="xs in tt">

  <!-- The header every provider document starts with: our reference (quoted back in every answer) and when. -->
  <xsl:template name="header">
    <Reference><xsl:value-of select="/in:ServiceInput/@reference"/></Reference>
    <IssueDateTime><xsl:value-of select="/in:ServiceInput/@issuedAt"/></IssueDateTime>
  </xsl:template>

  <!-- A party: name, identifiers (EORI, VAT, LEI), address. -->
  <xsl:template match="tt:SellerTradeParty | tt:BuyerTradeParty | tt:ShipToTradeParty" mode="party">
    <Name><xsl:value-of select="tt:Name"/></Name>
    <xsl:for-each select="tt:ID">
      <ID schemeID="{(@schemeID, 'OTHER')[1]}"><xsl:value-of select="."/></ID>
    </xsl:for-each>
    <xsl:if test="tt:LEI"><ID schemeID="LEI"><xsl:value-of select="tt:LEI"/></ID></xsl:if>
    <xsl:apply-templates select="tt:PostalAddress" mode="address"/>
  </xsl:template>

  <xsl:template match="tt:PostalAddress" mode="address">
    <Address>
      <xsl:for-each select="tt:LineOne, tt:LineTwo"><Line><xsl:value-of select="."/></Line></xsl:for-each>
      <xsl:if test="tt:CityName"><City><xsl:value-of select="tt:CityName"/></City></xsl:if>
      <xsl:if test="tt:PostcodeCode"><Postcode><xsl:value-of select="tt:PostcodeCode"/></Postcode></xsl:if>
      <CountryID><xsl:value-of select="tt:CountryID"/></CountryID>
    </Address>
  </xsl:template>

  <!-- The consignee: ship-to when the shop sent one, else the buyer. -->
  <xsl:function name="in:consignee" as="element()">
    <xsl:param name="t" as="element(tt:TradeTransaction)"/>
    <xsl:sequence select="($t/tt:ShipToTradeParty, $t/tt:BuyerTradeParty)[1]"/>
  </xsl:function>

  <xsl:function name="in:destination" as="xs:string">
    <xsl:param name="t" as="element(tt:TradeTransaction)"/>
    <xsl:sequence select="string(($t/tt:Shipment/tt:DestinationCountryID, in:consignee($t)/tt:PostalAddress/tt:CountryID)[1])"/>
  </xsl:function>

  <!-- A mass in kg, whatever its UN/ECE Rec 20 unit (KGM, GRM, TNE, LBR); absent = 0. -->
  <xsl:function name="in:kg" as="xs:decimal">
    <xsl:param name="m" as="element()?"/>
    <xsl:sequence select="if (empty($m)) then 0 else
        let $v := xs:decimal($m) return
        if ($m/@unitCode = 'GRM') then $v div 1000
        else if ($m/@unitCode = 'TNE') then $v * 1000
        else if ($m/@unitCode = 'LBR') then $v * 0.45359237
        else $v"/>
  </xsl:function>

  <!-- Gross mass in kg: the shipment's when given, else the lines' gross (or net) mass (each line's total). -->
  <xsl:function name="in:gross-kg" as="xs:decimal">
    <xsl:param name="t" as="element(tt:TradeTransaction)"/>
    <xsl:sequence select="if ($t/tt:Shipment/tt:GrossMass) then in:kg($t/tt:Shipment/tt:GrossMass)
        else sum(for $l in $t/tt:LineItem return in:kg(($l/tt:GrossMass, $l/tt:NetMass)[1]))"/>
  </xsl:function>

  <xsl:template name="amount">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="xs:decimal"/>
    <xsl:param name="currency" as="xs:string"/>
    <xsl:element name="{$name}" namespace="urn:tradehub:services:1">
      <xsl:attribute name="currencyID" select="$currency"/>
      <xsl:value-of select="format-number($value, '0.00')"/>
    </xsl:element>
  </xsl:template>

  <!-- Goods lines as customs and providers need them: HS code, origin, quantity, value, mass. -->
  <xsl:template match="tt:LineItem" mode="goods">
    <xsl:param name="hsDigits" as="xs:integer" select="8"/>
    <GoodsItem>
      <SequenceNumeric><xsl:value-of select="tt:LineID"/></SequenceNumeric>
      <Description><xsl:value-of select="tt:Description"/></Description>
      <!-- HS codes may carry dots or spaces (1905.31.99); providers get digits only -->
      <xsl:if test="tt:HSCode"><HSCode><xsl:value-of select="substring(replace(tt:HSCode, '[^0-9]', ''), 1, $hsDigits)"/></HSCode></xsl:if>
      <xsl:if test="tt:OriginCountryID"><OriginCountryID><xsl:value-of select="tt:OriginCountryID"/></OriginCountryID></xsl:if>
      <Quantity unitCode="{tt:Quantity/@unitCode}"><xsl:value-of select="tt:Quantity"/></Quantity>
      <xsl:call-template name="amount">
        <xsl:with-param name="name" select="'Value'"/>
        <xsl:with-param name="value" select="xs:decimal(tt:LineAmount)"/>
        <xsl:with-param name="currency" select="string(ancestor::tt:TradeTransaction/tt:InvoiceCurrencyCode)"/>
      </xsl:call-template>
      <xsl:if test="tt:NetMass"><NetMass unitCode="KGM"><xsl:value-of select="in:kg(tt:NetMass)"/></NetMass></xsl:if>
    </GoodsItem>
  </xsl:template>
</xsl:stylesheet>
