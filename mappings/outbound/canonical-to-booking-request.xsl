<?xml version="1.0" encoding="UTF-8"?>
<!--
  canonical-to-booking-request.xsl: ServiceInput (see service-common.xsl) to a freight BookingRequest
  (schemas/services/booking-request.xsd). One Member is one order's consignment; a consolidated booking has several,
  each keeping its own identity and customs data. A member with a low-value regime (for the EU: the H7 data set of
  Delegated Regulation (EU) 2015/2446 Annex B, with the IOSS number) carries it in LowValueConsignment, with the
  6-digit HS code H7 asks for.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:in="urn:tradehub:service-input:1"
    xmlns:tt="urn:tradehub:trade-transaction:1" xmlns="urn:tradehub:services:1"
    exclude-result-prefixes="xs in tt">
  <xsl:include href="service-common.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:template match="/in:ServiceInput">
    <xsl:variable name="first" select="in:Member[1]/tt:TradeTransaction"/>
    <BookingRequest version="1.0">
      <xsl:call-template name="header"/>
      <Consolidated><xsl:value-of select="count(in:Member) gt 1 or @consolidated = 'true'"/></Consolidated>
      <Shipper><xsl:apply-templates select="$first/tt:SellerTradeParty" mode="party"/></Shipper>
      <ServiceLevel><xsl:value-of select="($first/tt:Shipment/tt:ServiceLevel, 'standard')[1]"/></ServiceLevel>
      <DestinationCountryID><xsl:value-of select="in:destination($first)"/></DestinationCountryID>
      <TotalGrossMass unitCode="KGM">
        <xsl:value-of select="sum(for $t in in:Member/tt:TradeTransaction return in:gross-kg($t))"/>
      </TotalGrossMass>
      <xsl:apply-templates select="in:Member"/>
    </BookingRequest>
  </xsl:template>

  <xsl:template match="in:Member">
    <xsl:variable name="t" select="tt:TradeTransaction"/>
    <Consignment>
      <TransactionReference><xsl:value-of select="@transactionId"/></TransactionReference>
      <OrderReference><xsl:value-of select="$t/tt:Source/tt:ExternalOrderID"/></OrderReference>
      <Consignee><xsl:apply-templates select="in:consignee($t)" mode="party"/></Consignee>
      <xsl:if test="$t/tt:DeliveryTerms">
        <Incoterms><xsl:value-of select="$t/tt:DeliveryTerms/tt:IncotermsCode"/></Incoterms>
      </xsl:if>
      <GrossMass unitCode="KGM"><xsl:value-of select="in:gross-kg($t)"/></GrossMass>
      <xsl:call-template name="amount">
        <xsl:with-param name="name" select="'InvoiceAmount'"/>
        <xsl:with-param name="value" select="xs:decimal($t/tt:MonetarySummation/tt:GrandTotalAmount)"/>
        <xsl:with-param name="currency" select="string($t/tt:InvoiceCurrencyCode)"/>
      </xsl:call-template>
      <xsl:if test="@lowValueRegime">
        <LowValueConsignment regime="{@lowValueRegime}">
          <xsl:if test="/in:ServiceInput/@iossNumber">
            <IOSSNumber><xsl:value-of select="/in:ServiceInput/@iossNumber"/></IOSSNumber>
          </xsl:if>
          <xsl:call-template name="amount">
            <xsl:with-param name="name" select="'IntrinsicValue'"/>
            <xsl:with-param name="value" select="xs:decimal($t/tt:MonetarySummation/tt:LineTotalAmount)"/>
            <xsl:with-param name="currency" select="string($t/tt:InvoiceCurrencyCode)"/>
          </xsl:call-template>
        </LowValueConsignment>
      </xsl:if>
      <xsl:apply-templates select="$t/tt:LineItem" mode="goods">
        <xsl:with-param name="hsDigits" select="if (@lowValueRegime) then 6 else 8"/>
      </xsl:apply-templates>
    </Consignment>
  </xsl:template>
</xsl:stylesheet>
