<?xml version="1.0" encoding="UTF-8"?>
<!--
  Functions shared by the web-shop order templates (shopify-order.xsl, woocommerce-order.xsl). Imported, never run
  on its own. They read camel-xj's XML view of JSON (elements "object" with xj:name / xj:type) and build canonical
  elements, leaving an element out when its value is missing, null or empty: the canonical schema forbids empty
  strings, and a missing element lets the validator say what is missing.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:xj="http://camel.apache.org/component/xj"
    xmlns:f="urn:tradehub:xslt-functions"
    xmlns="urn:tradehub:trade-transaction:1"
    exclude-result-prefixes="xs xj f">

  <!-- Compact, not indented, as in every inbound template: the canonical text is parsed again at every later step
       (summary, schema and code-list checks, the declaration and service templates) and kept in the ledger;
       indentation would add a quarter to its size and a whitespace node between every two elements to each of
       those parses. The golden tests compare ignoring whitespace; any XML viewer indents it for reading. -->
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:variable name="f:ns" select="'urn:tradehub:trade-transaction:1'"/>

  <!-- the trimmed text of a scalar member; () for a missing key, JSON null, an object/array, or an empty string -->
  <xsl:function name="f:v" as="xs:string?">
    <xsl:param name="context" as="element()?"/>
    <xsl:param name="key" as="xs:string"/>
    <xsl:variable name="value" select="$context/object[@xj:name = $key][not(@xj:type = ('null', 'object', 'array'))][1]"/>
    <xsl:variable name="s" select="string($value)"/>
    <!-- most values have nothing to trim: checking both ends costs far less than running the regular expression -->
    <xsl:sequence select="(if (normalize-space(substring($s, 1, 1)) and normalize-space(substring($s, string-length($s))))
                           then $s else replace($s, '^\s+|\s+$', ''))[. ne '']"/>
  </xsl:function>

  <xsl:function name="f:obj" as="element()?">
    <xsl:param name="context" as="element()?"/>
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="$context/object[@xj:name = $key][@xj:type = 'object'][1]"/>
  </xsl:function>

  <xsl:function name="f:arr" as="element()?">
    <xsl:param name="context" as="element()?"/>
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="$context/object[@xj:name = $key][@xj:type = 'array'][1]"/>
  </xsl:function>

  <!-- a canonical element with text content, or nothing when the value is empty -->
  <xsl:function name="f:el" as="element()?">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:if test="normalize-space($value)">
      <xsl:element name="{$name}" namespace="{$f:ns}"><xsl:sequence select="$value"/></xsl:element>
    </xsl:if>
  </xsl:function>

  <xsl:function name="f:measure" as="element()?">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:param name="unitCode" as="xs:string"/>
    <xsl:if test="normalize-space($value)">
      <xsl:element name="{$name}" namespace="{$f:ns}">
        <xsl:attribute name="unitCode" select="$unitCode"/>
        <xsl:sequence select="$value"/>
      </xsl:element>
    </xsl:if>
  </xsl:function>

  <!-- "first last" from the parts that are present -->
  <xsl:function name="f:join" as="xs:string?">
    <xsl:param name="first" as="xs:string?"/>
    <xsl:param name="last" as="xs:string?"/>
    <xsl:sequence select="string-join(($first, $last), ' ')[. ne '']"/>
  </xsl:function>

  <!-- a computed amount as exact decimal text with at least two fraction digits (199 -> 199.00, 6.665 stays) -->
  <xsl:function name="f:amount" as="xs:string">
    <xsl:param name="value" as="xs:decimal"/>
    <xsl:variable name="text" select="string($value)"/>
    <xsl:sequence select="if (not(contains($text, '.'))) then $text || '.00'
                          else if (string-length(substring-after($text, '.')) eq 1) then $text || '0'
                          else $text"/>
  </xsl:function>

  <!-- the sum of amounts, or '' unless all $expected values are present and decimal (no partial totals) -->
  <xsl:function name="f:sum" as="xs:string">
    <xsl:param name="values" as="xs:string*"/>
    <xsl:param name="expected" as="xs:integer"/>
    <xsl:variable name="decimals" select="$values[. castable as xs:decimal]"/>
    <xsl:sequence select="if ($expected gt 0 and count($decimals) eq $expected)
                          then f:amount(sum($decimals ! xs:decimal(.))) else ''"/>
  </xsl:function>

  <xsl:function name="f:kilograms" as="xs:string">
    <xsl:param name="grams" as="xs:decimal"/>
    <xsl:sequence select="string($grams div 1000)"/>
  </xsl:function>

  <!-- ISO 8601 as xs:dateTime; "2019-01-01 00:00:00.000Z" (space instead of T) is repaired, anything else passes
       through unchanged so that the validator reports it -->
  <xsl:function name="f:date-time" as="xs:string?">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="repaired" select="replace($value, '^(\d{4}-\d{2}-\d{2}) (\d)', '$1T$2')"/>
    <xsl:sequence select="if ($repaired castable as xs:dateTime) then $repaired else $value"/>
  </xsl:function>

  <!-- ISO 3166-2 style subdivision (US-KY) when the source gives a short region code for a known country -->
  <xsl:function name="f:subdivision" as="xs:string?">
    <xsl:param name="country" as="xs:string?"/>
    <xsl:param name="region" as="xs:string?"/>
    <xsl:sequence select="if (matches($country, '^[A-Z]{2}$') and matches($region, '^[A-Z0-9]{1,3}$')) then $country || '-' || $region
                          (: WooCommerce writes some regions with the country glued on: JP13 for JP-13 (Tokyo) :)
                          else if (matches($country, '^[A-Z]{2}$') and matches($region, '^' || $country || '[0-9]{1,3}$'))
                               then $country || '-' || substring($region, 3)
                          else if (matches($country, '^[A-Z]{2}$') and starts-with($region, $country || '-')) then $region
                          else ()"/>
  </xsl:function>

  <!-- HS codes are often written 6110.30 or 6110 30: keep the digits; anything else passes through for the validator -->
  <xsl:function name="f:hs-code" as="xs:string?">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:variable name="digits" select="replace($value, '[.\s]', '')"/>
    <xsl:sequence select="if (matches($digits, '^[0-9]+$')) then $digits else $value"/>
  </xsl:function>

  <xsl:function name="f:contact" as="element()?">
    <xsl:param name="person" as="xs:string?"/>
    <xsl:param name="email" as="xs:string?"/>
    <xsl:param name="phone" as="xs:string?"/>
    <xsl:if test="exists(($person, $email, $phone))">
      <Contact>
        <xsl:sequence select="f:el('PersonName', $person), f:el('EmailURI', $email), f:el('TelephoneNumber', $phone)"/>
      </Contact>
    </xsl:if>
  </xsl:function>

  <xsl:function name="f:shipment" as="element()?">
    <xsl:param name="grossKilograms" as="xs:string?"/>
    <xsl:param name="serviceLevels" as="xs:string*"/>
    <xsl:param name="destinationCountry" as="xs:string?"/>
    <xsl:if test="exists(($grossKilograms, $serviceLevels, $destinationCountry))">
      <Shipment>
        <xsl:sequence select="f:measure('GrossMass', $grossKilograms, 'KGM'),
                              f:el('ServiceLevel', string-join(distinct-values($serviceLevels), '; ')),
                              f:el('DestinationCountryID', $destinationCountry)"/>
      </Shipment>
    </xsl:if>
  </xsl:function>

  <xsl:function name="f:payment" as="element()?">
    <xsl:param name="status" as="xs:string?"/>
    <xsl:if test="exists($status)">
      <Payment><StatusCode><xsl:sequence select="$status"/></StatusCode></Payment>
    </xsl:if>
  </xsl:function>
</xsl:stylesheet>
