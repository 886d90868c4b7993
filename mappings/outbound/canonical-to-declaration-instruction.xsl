<?xml version="1.0" encoding="UTF-8"?>
<!--
  canonical-to-declaration-instruction.xsl: ServiceInput (see service-common.xsl) to a DeclarationInstruction for a
  customs broker (schemas/services/declaration-instruction.xsd). The ServiceInput carries, after its Member, the
  DMS-ready export declaration (in:Attachment name="dms", built by canonical-to-dms-export.xsl with the firm's customs
  profile and the fixed LRN); both go to the broker unchanged, so the data is entered once.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:in="urn:tradehub:service-input:1"
    xmlns:tt="urn:tradehub:trade-transaction:1" xmlns="urn:tradehub:services:1"
    exclude-result-prefixes="xs in tt">
  <xsl:include href="service-common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/in:ServiceInput">
    <xsl:variable name="t" select="in:Member[1]/tt:TradeTransaction"/>
    <DeclarationInstruction version="1.0">
      <xsl:call-template name="header"/>
      <TransactionReference><xsl:value-of select="in:Member[1]/@transactionId"/></TransactionReference>
      <LRN><xsl:value-of select="in:Attachment[@name = 'dms']/@lrn"/></LRN>
      <Exporter><xsl:apply-templates select="$t/tt:SellerTradeParty" mode="party"/></Exporter>
      <DestinationCountryID><xsl:value-of select="in:destination($t)"/></DestinationCountryID>
      <CanonicalTransaction><xsl:copy-of select="$t" copy-namespaces="no"/></CanonicalTransaction>
      <DmsDeclaration><xsl:copy-of select="in:Attachment[@name = 'dms']/*" copy-namespaces="no"/></DmsDeclaration>
    </DeclarationInstruction>
  </xsl:template>
</xsl:stylesheet>
