<?xml version="1.0" encoding="UTF-8"?>
<!--
  canonical-to-insurance-request.xsl: ServiceInput (see service-common.xsl) to a cargo InsuranceRequest
  (schemas/services/insurance-request.xsd). The sum insured is the invoice value plus 10 %, the usual minimum cover
  of the Institute Cargo Clauses (and of Incoterms 2020 CIF/CIP, article A5).
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:in="urn:tradehub:service-input:1"
    xmlns:tt="urn:tradehub:trade-transaction:1" xmlns="urn:tradehub:services:1"
    exclude-result-prefixes="xs in tt">
  <xsl:include href="service-common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/in:ServiceInput">
    <xsl:variable name="t" select="in:Member[1]/tt:TradeTransaction"/>
    <xsl:variable name="currency" select="string($t/tt:InvoiceCurrencyCode)"/>
    <xsl:variable name="invoice" select="xs:decimal($t/tt:MonetarySummation/tt:GrandTotalAmount)"/>
    <InsuranceRequest version="1.0">
      <xsl:call-template name="header"/>
      <TransactionReference><xsl:value-of select="in:Member[1]/@transactionId"/></TransactionReference>
      <Insured><xsl:apply-templates select="$t/tt:SellerTradeParty" mode="party"/></Insured>
      <Consignee><xsl:apply-templates select="in:consignee($t)" mode="party"/></Consignee>
      <OriginCountryID><xsl:value-of select="$t/tt:SellerTradeParty/tt:PostalAddress/tt:CountryID"/></OriginCountryID>
      <DestinationCountryID><xsl:value-of select="in:destination($t)"/></DestinationCountryID>
      <xsl:if test="$t/tt:DeliveryTerms"><Incoterms><xsl:value-of select="$t/tt:DeliveryTerms/tt:IncotermsCode"/></Incoterms></xsl:if>
      <xsl:call-template name="amount">
        <xsl:with-param name="name" select="'InvoiceAmount'"/>
        <xsl:with-param name="value" select="$invoice"/>
        <xsl:with-param name="currency" select="$currency"/>
      </xsl:call-template>
      <xsl:call-template name="amount">
        <xsl:with-param name="name" select="'SumInsured'"/>
        <xsl:with-param name="value" select="round($invoice * 1.10, 2)"/>
        <xsl:with-param name="currency" select="$currency"/>
      </xsl:call-template>
      <GrossMass unitCode="KGM"><xsl:value-of select="in:gross-kg($t)"/></GrossMass>
      <xsl:apply-templates select="$t/tt:LineItem" mode="goods"/>
    </InsuranceRequest>
  </xsl:template>
</xsl:stylesheet>
