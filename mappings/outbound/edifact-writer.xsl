<?xml version="1.0" encoding="UTF-8"?>
<!--
  Writing UN/EDIFACT from XSLT: included by the outbound EDIFACT templates (CUSDEC, ORDRSP).
  A segment is built as a sequence of elements, each element a sequence of components; w:segment() releases the
  service characters (? + : ') with '?' and drops trailing empty elements and components, as ISO 9735 requires.
  w:interchange() wraps the message segments in UNA/UNB..UNZ with UNH/UNT and counts the segments for UNT.
  Separators are the ISO 9735 defaults (UNA:+.? '); no line breaks, strict receivers count them as data.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:w="urn:tradehub:edifact-writer"
    exclude-result-prefixes="#all">

  <!-- a value with its service characters released; characters outside UNOC (Latin-1) lose their accents, or go -->
  <xsl:function name="w:release" as="xs:string">
    <xsl:param name="v" as="xs:string?"/>
    <xsl:variable name="latin1" select="string-join(for $c in string-to-codepoints(string($v)) return
        if ($c le 255) then codepoints-to-string($c)
        else replace(normalize-unicode(codepoints-to-string($c), 'NFKD'), '[^&#x20;-&#xFF;]', ''))"/>
    <xsl:sequence select="replace($latin1, '([?+:''])', '?$1')"/>
  </xsl:function>

  <!-- one element: its components joined with ':', trailing empty ones dropped -->
  <xsl:function name="w:element" as="xs:string">
    <xsl:param name="components" as="xs:string*"/>
    <xsl:variable name="released" select="for $c in $components return w:release($c)"/>
    <xsl:variable name="last" select="(for $i in reverse(1 to count($released)) return $i[$released[$i] != ''])[1]"/>
    <xsl:sequence select="string-join(subsequence($released, 1, ($last, 0)[1]), ':')"/>
  </xsl:function>

  <!-- a segment from elements given as arrays of components: w:segment('NAD', (['BY'], [], ['id', '', '9'])) -->
  <xsl:function name="w:segment" as="xs:string">
    <xsl:param name="tag" as="xs:string"/>
    <xsl:param name="elements" as="array(xs:string?)*"/>
    <xsl:variable name="texts" select="for $e in $elements return w:element(array:flatten($e))"
                  xmlns:array="http://www.w3.org/2005/xpath-functions/array"/>
    <xsl:variable name="last" select="(for $i in reverse(1 to count($texts)) return $i[$texts[$i] != ''])[1]"/>
    <xsl:sequence select="string-join(($tag, subsequence($texts, 1, ($last, 0)[1])), '+') || ''''"/>
  </xsl:function>

  <!--
    The whole interchange around one message. $env: map with ourId, ourQualifier, theirId, theirQualifier,
    controlRef (UNB 0020), date (YYMMDD, or CCYYMMDD in syntax version 4), time (HHMM), test ('1' or ''), syntax
    (UNOC), optional syntaxVersion ('3' when absent), messageRef (UNH 0062), messageId (array: type, version,
    release, agency[, association]).
  -->
  <xsl:function name="w:interchange" as="xs:string">
    <xsl:param name="env" as="map(*)"/>
    <xsl:param name="body" as="xs:string*"/>
    <xsl:variable name="unh" select="w:segment('UNH', ([$env?messageRef], $env?messageId))"/>
    <xsl:variable name="unt" select="w:segment('UNT', ([string(count($body) + 2)], [$env?messageRef]))"/>
    <xsl:sequence select="string-join((
        'UNA:+.? ''',
        w:segment('UNB', ([$env?syntax, ($env?syntaxVersion, '3')[1]], [$env?ourId, $env?ourQualifier], [$env?theirId, $env?theirQualifier],
                          [$env?date, $env?time], [$env?controlRef], [], [], [], [], [], [$env?test])),
        $unh, $body, $unt,
        w:segment('UNZ', (['1'], [$env?controlRef]))), '')"/>
  </xsl:function>

  <!-- a segment as EdiReader read it (<segment v1.1=".." v2.1=".." v2.3=".."/>: element 2 component 3 is @v2.3, empty
       ones absent; repetitions left out), written back: echoes what a partner sent (its party ids, item numbers,
       quantities with its own units) without re-interpreting it -->
  <xsl:function name="w:copy" as="xs:string">
    <xsl:param name="segment" as="element()"/>
    <xsl:sequence select="w:segment(string($segment/@tag), w:elements($segment))"/>
  </xsl:function>

  <!-- every data element of such a segment up to the last with a value, each as w:components gives it -->
  <xsl:function name="w:elements" as="array(xs:string?)*">
    <xsl:param name="segment" as="element()"/>
    <xsl:variable name="last" select="max(($segment/@*[starts-with(local-name(), 'v') and not(contains(local-name(), '.r'))]
        ! xs:integer(substring-before(substring(local-name(), 2), '.')), 0))"/>
    <xsl:sequence select="for $e in 1 to $last return w:components($segment, $e)"/>
  </xsl:function>

  <!-- the components of data element $e of such a segment, up to the last with a value (those between it and the
       first as ''); [] when it has none. A simple element is its one value. -->
  <xsl:function name="w:components" as="array(xs:string?)">
    <xsl:param name="segment" as="element()?"/>
    <xsl:param name="e" as="xs:integer"/>
    <xsl:variable name="prefix" select="concat('v', $e, '.')"/>
    <xsl:variable name="values" select="$segment/@*[starts-with(local-name(), $prefix)]
        [not(contains(substring-after(local-name(), $prefix), '.'))]"/>
    <xsl:variable name="last" select="max(($values ! xs:integer(substring-after(local-name(), $prefix)), 0))"/>
    <xsl:sequence select="array { for $c in 1 to $last return string($values[local-name() = concat($prefix, $c)]) }"/>
  </xsl:function>

  <!-- a decimal as EDIFACT wants it: no exponent, no trailing zeros, '.' as decimal mark (the UNA says so) -->
  <xsl:function name="w:num" as="xs:string">
    <xsl:param name="d" as="xs:decimal?"/>
    <xsl:sequence select="if (empty($d)) then '' else string($d)"/>
  </xsl:function>
</xsl:stylesheet>
