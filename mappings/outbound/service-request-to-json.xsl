<?xml version="1.0" encoding="UTF-8"?>
<!--
  The JSON form of a provider request, for providers registered with format json (out-provider-dispatch).
  Input: a request already mapped by its canonical-to-<document>.xsl and valid against its XSD (BookingRequest,
  InsuranceRequest, FinancingRequest, FxSettlementFiling, VatRefundFiling). Output: the same document, one to one,
  checked against mappings/schemas/services/service-request.schema.json:

    {"BookingRequest": {"version": "1.0", "Reference": "...", "TotalGrossMass": {"value": "37.1", "unitCode": "KGM"},
                        "Consignment": [ {... "GoodsItem": [ {...} ] } ] }}

  - names are the XML names (the XSD and README in mappings/schemas/services/ describe both forms);
  - attributes are members; an element with attributes and a value (Amount, Measure, Identifier) becomes
    {"value": ..., attribute: ...};
  - amounts, measures and every other decimal stay JSON strings exactly as in the XML (no binary floats: parse them
    as decimals); xs:boolean elements are JSON booleans, xs:positiveInteger ones JSON numbers;
  - an element the XSD allows more than once is always an array (even with one member), so the shape never depends
    on the data.
  Which elements repeat and which are booleans or integers is read from the document's own XSD (and what it
  includes), so a new element in a schema needs no change here. Key order follows the XML (fn:xml-to-json).
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:fn="http://www.w3.org/2005/xpath-functions"
    xmlns:j="urn:tradehub:json" exclude-result-prefixes="#all">

  <xsl:output method="text" encoding="UTF-8"/>

  <!-- BookingRequest -> ../schemas/services/booking-request.xsd. A relative path on purpose: Camel's URI resolver
       resolves it against this stylesheet, also when the stylesheet's base URI is a relative file: URI (which
       resolve-uri() refuses as non-hierarchic). -->

  <xsl:function name="j:schemas" as="document-node()*">
    <xsl:param name="location" as="xs:string"/>
    <xsl:variable name="schema" select="doc('../schemas/services/' || $location)"/>
    <xsl:sequence select="$schema, $schema/xs:schema/xs:include/@schemaLocation ! j:schemas(.)"/>
  </xsl:function>

  <xsl:template match="/*">
    <xsl:variable name="schemas" select="j:schemas(lower-case(replace(local-name(), '(.)([A-Z])', '$1-$2')) || '.xsd')"/>
    <xsl:variable name="declarations" select="$schemas//xs:element[@name]"/>
    <xsl:variable name="json" as="element(fn:map)">
      <fn:map>
        <xsl:apply-templates select="." mode="member">
          <xsl:with-param name="declarations" select="$declarations" tunnel="yes"/>
        </xsl:apply-templates>
      </fn:map>
    </xsl:variable>
    <xsl:value-of select="xml-to-json($json)"/>
  </xsl:template>

  <!-- The first of a run of same-named siblings speaks for the run: an array when the XSD lets it repeat. -->
  <xsl:template match="*" mode="member">
    <xsl:param name="declarations" tunnel="yes"/>
    <xsl:variable name="name" select="local-name()"/>
    <xsl:if test="not(preceding-sibling::*[local-name() = $name])">
      <xsl:variable name="declared" select="$declarations[@name = $name]"/>
      <xsl:choose>
        <xsl:when test="$declared[@maxOccurs and @maxOccurs != '1']">
          <fn:array key="{$name}">
            <xsl:apply-templates select="../*[local-name() = $name]" mode="value"/>
          </fn:array>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates select="." mode="value">
            <xsl:with-param name="key" select="$name"/>
          </xsl:apply-templates>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:if>
  </xsl:template>

  <xsl:template match="*" mode="value">
    <xsl:param name="key" as="xs:string?"/>
    <xsl:param name="declarations" tunnel="yes"/>
    <xsl:variable name="type" select="string($declarations[@name = local-name(current())][1]/@type)"/>
    <xsl:choose>
      <xsl:when test="*">
        <fn:map>
          <xsl:if test="$key"><xsl:attribute name="key" select="$key"/></xsl:if>
          <xsl:apply-templates select="@*" mode="value"/>
          <xsl:apply-templates select="*" mode="member"/>
        </fn:map>
      </xsl:when>
      <xsl:when test="@*">
        <fn:map>
          <xsl:if test="$key"><xsl:attribute name="key" select="$key"/></xsl:if>
          <fn:string key="value"><xsl:value-of select="."/></fn:string>
          <xsl:apply-templates select="@*" mode="value"/>
        </fn:map>
      </xsl:when>
      <xsl:when test="$type = 'xs:boolean'">
        <fn:boolean><xsl:if test="$key"><xsl:attribute name="key" select="$key"/></xsl:if>
          <xsl:value-of select="xs:boolean(normalize-space(.))"/></fn:boolean>
      </xsl:when>
      <xsl:when test="$type = ('xs:positiveInteger', 'xs:nonNegativeInteger', 'xs:integer')">
        <fn:number><xsl:if test="$key"><xsl:attribute name="key" select="$key"/></xsl:if>
          <xsl:value-of select="xs:integer(normalize-space(.))"/></fn:number>
      </xsl:when>
      <xsl:otherwise>
        <fn:string><xsl:if test="$key"><xsl:attribute name="key" select="$key"/></xsl:if>
          <xsl:value-of select="."/></fn:string>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="@*" mode="value">
    <fn:string key="{local-name()}"><xsl:value-of select="."/></fn:string>
  </xsl:template>
</xsl:stylesheet>
