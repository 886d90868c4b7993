<?xml version="1.0" encoding="UTF-8"?>
<!--
  canonical-to-financing-request.xsl: ServiceInput (see service-common.xsl) to a FinancingRequest
  (schemas/services/financing-request.xsd): the exporter asks its bank to finance the receivable of this sale
  (invoice discounting / pre-shipment finance), identified by its LEI where it has one.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:in="urn:tradehub:service-input:1"
    xmlns:tt="urn:tradehub:trade-transaction:1" xmlns="urn:tradehub:services:1"
    exclude-result-prefixes="xs in tt">
  <xsl:include href="service-common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/in:ServiceInput">
    <xsl:variable name="t" select="in:Member[1]/tt:TradeTransaction"/>
    <FinancingRequest version="1.0">
      <xsl:call-template name="header"/>
      <TransactionReference><xsl:value-of select="in:Member[1]/@transactionId"/></TransactionReference>
      <Applicant><xsl:apply-templates select="$t/tt:SellerTradeParty" mode="party"/></Applicant>
      <Buyer><xsl:apply-templates select="$t/tt:BuyerTradeParty" mode="party"/></Buyer>
      <InvoiceID><xsl:value-of select="($t/tt:Source/tt:ExternalOrderNumber, $t/tt:Source/tt:ExternalOrderID)[1]"/></InvoiceID>
      <InvoiceDateTime><xsl:value-of select="$t/tt:IssueDateTime"/></InvoiceDateTime>
      <xsl:call-template name="amount">
        <xsl:with-param name="name" select="'ReceivableAmount'"/>
        <xsl:with-param name="value" select="xs:decimal($t/tt:MonetarySummation/tt:GrandTotalAmount)"/>
        <xsl:with-param name="currency" select="string($t/tt:InvoiceCurrencyCode)"/>
      </xsl:call-template>
      <xsl:if test="$t/tt:Payment/tt:StatusCode">
        <PaymentStatusCode><xsl:value-of select="$t/tt:Payment/tt:StatusCode"/></PaymentStatusCode>
      </xsl:if>
      <DestinationCountryID><xsl:value-of select="in:destination($t)"/></DestinationCountryID>
    </FinancingRequest>
  </xsl:template>
</xsl:stylesheet>
