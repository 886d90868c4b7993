<?xml version="1.0" encoding="UTF-8"?>
<!--
  canonical-to-vat-refund-filing.xsl: ServiceInput (see service-common.xsl) to a VatRefundFiling
  (schemas/services/vat-refund-filing.xsd) for a national single window.
  Model: the export VAT/tax refund claim that single windows with an export rebate regime take per export
  (the exporter claims back the input VAT on zero-rated exported goods, line by line with HS codes, against proof
  of export), e.g. China's export tax rebate declaration. A generic form with UN/CEFACT BSP names, not one
  country's spec.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:in="urn:tradehub:service-input:1"
    xmlns:tt="urn:tradehub:trade-transaction:1" xmlns="urn:tradehub:services:1"
    exclude-result-prefixes="xs in tt">
  <xsl:include href="service-common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/in:ServiceInput">
    <xsl:variable name="t" select="in:Member[1]/tt:TradeTransaction"/>
    <VatRefundFiling version="1.0">
      <xsl:call-template name="header"/>
      <TransactionReference><xsl:value-of select="in:Member[1]/@transactionId"/></TransactionReference>
      <Claimant><xsl:apply-templates select="$t/tt:SellerTradeParty" mode="party"/></Claimant>
      <TaxPeriod><xsl:value-of select="substring($t/tt:IssueDateTime, 1, 7)"/></TaxPeriod>
      <ExportReference><xsl:value-of select="$t/tt:Source/tt:ExternalOrderID"/></ExportReference>
      <DestinationCountryID><xsl:value-of select="in:destination($t)"/></DestinationCountryID>
      <xsl:call-template name="amount">
        <xsl:with-param name="name" select="'ExportValue'"/>
        <xsl:with-param name="value" select="xs:decimal($t/tt:MonetarySummation/tt:LineTotalAmount)"/>
        <xsl:with-param name="currency" select="string($t/tt:InvoiceCurrencyCode)"/>
      </xsl:call-template>
      <xsl:call-template name="amount">
        <xsl:with-param name="name" select="'TaxChargedAmount'"/>
        <xsl:with-param name="value" select="xs:decimal(($t/tt:MonetarySummation/tt:TaxTotalAmount, 0)[1])"/>
        <xsl:with-param name="currency" select="string($t/tt:InvoiceCurrencyCode)"/>
      </xsl:call-template>
      <xsl:apply-templates select="$t/tt:LineItem" mode="goods"/>
    </VatRefundFiling>
  </xsl:template>
</xsl:stylesheet>
