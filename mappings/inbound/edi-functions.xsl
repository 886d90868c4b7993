<?xml version="1.0" encoding="UTF-8"?>
<!-- Helpers shared by the EDI templates: reading the per-message XML of org.tradehub.edi.EdiReader. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:edi="urn:tradehub:edi-functions"
    exclude-result-prefixes="#all">

  <!-- Value of element $e, component $c of a segment: its attribute v$e.$c (org.tradehub.edi.EdiReader writes each
       value so, a simple element as component 1, whitespace normalized, empty ones left out), or nothing. For a
       position known when the template is written, read the attribute itself ($nad/@v2.1): a lookup by name, where
       this function's call and search cost several times more, and the mapping runs dozens per message. -->
  <xsl:function name="edi:v" as="xs:string?">
    <xsl:param name="seg" as="element(segment)?"/>
    <xsl:param name="e" as="xs:integer"/>
    <xsl:param name="c" as="xs:integer"/>
    <xsl:variable name="name" select="concat('v', $e, '.', $c)"/>
    <xsl:sequence select="$seg/@*[local-name() eq $name]/string()"/>
  </xsl:function>

  <!-- A numeric value as xs:decimal. EDIFACT numeric elements can carry ',' only as a decimal mark (no thousands
       separators), so translating it is always right, whatever the UNA declared. -->
  <xsl:function name="edi:num" as="xs:decimal?">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="t" select="translate(normalize-space($s), ',', '.')"/>
    <!-- '$t and': Saxon answers castable for '' (an absent value) by catching an exception, which costs more than the
         rest of the mapping of a value -->
    <xsl:sequence select="if ($t and $t castable as xs:decimal) then xs:decimal($t) else ()"/>
  </xsl:function>

  <!-- EDIFACT date/time (format qualifier 2379) or X12 date/time to xs:dateTime (local, no zone). -->
  <xsl:function name="edi:datetime" as="xs:dateTime?">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:param name="format" as="xs:string?"/>
    <xsl:variable name="d" select="edi:digits($value)"/>
    <xsl:variable name="full" select="
        if ($format = ('101', '201') or string-length($d) = (6, 10)) then concat('20', $d) else $d"/>
    <xsl:variable name="iso" select="
        if (string-length($full) ge 8)
        then concat(substring($full, 1, 4), '-', substring($full, 5, 2), '-', substring($full, 7, 2), 'T',
                    if (string-length($full) ge 12) then concat(substring($full, 9, 2), ':', substring($full, 11, 2))
                    else '00:00',
                    ':', if (string-length($full) ge 14) then substring($full, 13, 2) else '00')
        else ''"/>
    <xsl:sequence select="if ($iso castable as xs:dateTime) then xs:dateTime($iso) else ()"/>
  </xsl:function>

  <!-- The ASCII digits of $s, in order: what replace($s, '[^0-9]', '') gives, without running a regular expression. -->
  <xsl:function name="edi:digits" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:sequence select="translate($s, translate($s, '0123456789', ''), '')"/>
  </xsl:function>

  <!-- ISO 3166-2 subdivision: keep "US-NY", make "NY" into "US-NY" when the country is known. -->
  <xsl:function name="edi:subdivision" as="xs:string?">
    <xsl:param name="code" as="xs:string?"/>
    <xsl:param name="country" as="xs:string?"/>
    <xsl:sequence select="
        if (empty($code)) then ()
        else if (contains($code, '-') or empty($country)) then $code
        else concat($country, '-', $code)"/>
  </xsl:function>

    <!-- A partner's unit (X12 355 codes, or the older EDIFACT/EANCOM habits such as PCE) as a UN/ECE Rec 20 code
       from the list the validator ships (codelists/unece-rec20-UnitOfMeasureCode-2.3.gc). Packages (X12 CA case,
       CT carton, BX box, PK package; Rec 20's own CS/CT were withdrawn when package types moved to Rec 21) become
       NMP "number of packs: a collection of objects packaged together", the current Rec 20 unit of count for them;
       pieces/each become H87. Codes already in Rec 20 pass unchanged; an unknown code is passed on for the validator
       to name. -->
  <xsl:function name="edi:unit" as="xs:string">
    <xsl:param name="unit" as="xs:string?"/>
    <xsl:variable name="u" select="upper-case(normalize-space($unit))"/>
    <xsl:sequence select="
        if (not($u)) then 'H87'
        else if ($u = ('PCE', 'PCS', 'EA', 'PC', 'UN', 'UNT')) then 'H87'
        else if ($u = ('CA', 'CT', 'BX', 'PK', 'CS')) then 'NMP'
        else if ($u = 'LB') then 'LBR'
        else if ($u = 'KG') then 'KGM'
        else if ($u = 'DZ') then 'DZN'
        else if ($u = 'FT') then 'FOT'
        else if ($u = 'GA') then 'GLL'
        else if ($u = 'YD') then 'YRD'
        else $u"/>
  </xsl:function>

  <!-- Incoterms 2020 codes; a delivery terms code outside them is not put into DeliveryTerms. -->
  <xsl:variable name="edi:incoterms" as="xs:string*"
      select="('EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF')"/>
</xsl:stylesheet>
