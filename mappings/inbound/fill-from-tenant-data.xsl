<?xml version="1.0" encoding="UTF-8"?>
<!--
  Fills in what a firm's own sales channel does not send with each order but customs needs: the exporter (the
  tenant's exporter profile) and, per line, HS code, country of origin and net mass from the tenant's product
  catalogue (matched on SellerAssignedID = SKU). What the order itself carries wins, except an HS code that the
  catalogue's code for the SKU extends (the order's 940360, the catalogue's 94036010: the catalogue's).

  Input: a canonical TradeTransaction. Parameter hubTenantData: the tenant's data for this order, as XML text:
    <TenantData>
      <Exporter name="" eori="" lei="" line="" city="" postcode="" country=""/>
      <Product sku="" hs="" origin="" netKg=""/> ...
    </TenantData>
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns="urn:tradehub:trade-transaction:1"
                xmlns:tt="urn:tradehub:trade-transaction:1"
                exclude-result-prefixes="xs tt">

  <xsl:param name="hubTenantData" as="xs:string" select="'&lt;TenantData/&gt;'"/>
  <xsl:variable name="data" select="parse-xml($hubTenantData)/TenantData"/>
  <xsl:variable name="exporter" select="$data/Exporter"/>

  <xsl:mode on-no-match="shallow-copy"/>

  <xsl:template match="tt:IssueDateTime[not(../tt:SellerTradeParty)]">
    <xsl:copy-of select="."/>
    <xsl:if test="$exporter">
      <SellerTradeParty>
        <Name><xsl:value-of select="$exporter/@name"/></Name>
        <xsl:if test="normalize-space($exporter/@eori)">
          <ID schemeID="EORI"><xsl:value-of select="$exporter/@eori"/></ID>
        </xsl:if>
        <xsl:if test="normalize-space($exporter/@lei)">
          <LEI><xsl:value-of select="$exporter/@lei"/></LEI>
        </xsl:if>
        <PostalAddress>
          <xsl:if test="normalize-space($exporter/@line)"><LineOne><xsl:value-of select="$exporter/@line"/></LineOne></xsl:if>
          <xsl:if test="normalize-space($exporter/@city)"><CityName><xsl:value-of select="$exporter/@city"/></CityName></xsl:if>
          <xsl:if test="normalize-space($exporter/@postcode)"><PostcodeCode><xsl:value-of select="$exporter/@postcode"/></PostcodeCode></xsl:if>
          <CountryID><xsl:value-of select="$exporter/@country"/></CountryID>
        </PostalAddress>
      </SellerTradeParty>
    </xsl:if>
  </xsl:template>

  <!-- An exporter the source named without an EORI gets the tenant's, which customs needs. -->
  <xsl:template match="tt:SellerTradeParty[not(tt:ID[@schemeID = 'EORI'])]/tt:Name">
    <xsl:copy-of select="."/>
    <xsl:if test="normalize-space($exporter/@eori)">
      <ID schemeID="EORI"><xsl:value-of select="$exporter/@eori"/></ID>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tt:LineItem">
    <xsl:variable name="product" select="$data/Product[@sku = current()/tt:SellerAssignedID][1]"/>
    <xsl:copy>
      <xsl:copy-of select="@*, tt:LineID, tt:SellerAssignedID, tt:Description"/>
      <xsl:choose>
        <!-- the catalogue's longer code that begins with the order's (94036010 for 940360): the same goods, as precise
             as a national declaration needs (CDS wants 8 digits); any other code the order carries wins -->
        <xsl:when test="tt:HSCode and string-length($product/@hs) gt string-length(tt:HSCode)
                        and starts-with($product/@hs, tt:HSCode)"><HSCode><xsl:value-of select="$product/@hs"/></HSCode></xsl:when>
        <xsl:when test="tt:HSCode"><xsl:copy-of select="tt:HSCode"/></xsl:when>
        <xsl:when test="normalize-space($product/@hs)"><HSCode><xsl:value-of select="$product/@hs"/></HSCode></xsl:when>
      </xsl:choose>
      <xsl:choose>
        <xsl:when test="tt:OriginCountryID"><xsl:copy-of select="tt:OriginCountryID"/></xsl:when>
        <xsl:when test="normalize-space($product/@origin)"><OriginCountryID><xsl:value-of select="$product/@origin"/></OriginCountryID></xsl:when>
      </xsl:choose>
      <xsl:copy-of select="tt:Quantity, tt:UnitPrice, tt:LineAmount"/>
      <xsl:choose>
        <xsl:when test="tt:NetMass"><xsl:copy-of select="tt:NetMass"/></xsl:when>
        <xsl:when test="normalize-space($product/@netKg) and tt:Quantity castable as xs:decimal">
          <NetMass unitCode="KGM"><xsl:value-of select="xs:decimal($product/@netKg) * xs:decimal(tt:Quantity)"/></NetMass>
        </xsl:when>
      </xsl:choose>
      <xsl:copy-of select="tt:GrossMass"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
