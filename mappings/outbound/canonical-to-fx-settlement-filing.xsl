<?xml version="1.0" encoding="UTF-8"?>
<!--
  canonical-to-fx-settlement-filing.xsl: ServiceInput (see service-common.xsl) to an FxSettlementFiling
  (schemas/services/fx-settlement-filing.xsd) for a national single window.
  Model: the export-proceeds reporting that several single windows run for their central bank (the exporter reports
  each export whose proceeds in foreign currency must be repatriated and settled; the bank later reports the
  realisation against the same reference), e.g. the export declaration-linked proceeds monitoring of India's EDPMS or
  Bangladesh's EXP form. The hub's message is a generic form of it, with UN/CEFACT BSP names, not one country's spec.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:in="urn:tradehub:service-input:1"
    xmlns:tt="urn:tradehub:trade-transaction:1" xmlns="urn:tradehub:services:1"
    exclude-result-prefixes="xs in tt">
  <xsl:include href="service-common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/in:ServiceInput">
    <xsl:variable name="t" select="in:Member[1]/tt:TradeTransaction"/>
    <FxSettlementFiling version="1.0">
      <xsl:call-template name="header"/>
      <FilingTypeCode>EXPORT_PROCEEDS</FilingTypeCode>
      <TransactionReference><xsl:value-of select="in:Member[1]/@transactionId"/></TransactionReference>
      <Exporter><xsl:apply-templates select="$t/tt:SellerTradeParty" mode="party"/></Exporter>
      <ForeignBuyer><xsl:apply-templates select="$t/tt:BuyerTradeParty" mode="party"/></ForeignBuyer>
      <ContractID><xsl:value-of select="($t/tt:Source/tt:ExternalOrderNumber, $t/tt:Source/tt:ExternalOrderID)[1]"/></ContractID>
      <ContractDateTime><xsl:value-of select="$t/tt:IssueDateTime"/></ContractDateTime>
      <DestinationCountryID><xsl:value-of select="in:destination($t)"/></DestinationCountryID>
      <xsl:call-template name="amount">
        <xsl:with-param name="name" select="'ProceedsAmount'"/>
        <xsl:with-param name="value" select="xs:decimal($t/tt:MonetarySummation/tt:GrandTotalAmount)"/>
        <xsl:with-param name="currency" select="string($t/tt:InvoiceCurrencyCode)"/>
      </xsl:call-template>
      <!-- proceeds are due within 270 days of export in the common rule; the single window may shorten it -->
      <ExpectedSettlementDate>
        <xsl:value-of select="xs:date(substring($t/tt:IssueDateTime, 1, 10)) + xs:dayTimeDuration('P270D')"/>
      </ExpectedSettlementDate>
      <xsl:if test="$t/tt:Payment/tt:StatusCode">
        <PaymentStatusCode><xsl:value-of select="$t/tt:Payment/tt:StatusCode"/></PaymentStatusCode>
      </xsl:if>
    </FxSettlementFiling>
  </xsl:template>
</xsl:stylesheet>
