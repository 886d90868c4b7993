<?xml version="1.0" encoding="UTF-8"?>
<!--
  Writing X12 from XSLT: included by the outbound X12 templates (855). Separators * (element), > (component), ~
  (segment), ^ (repetition, 5010 on). X12 has no release character: a separator inside a value becomes a space.
  Trailing empty elements and components are dropped. The ISA is fixed width (106 characters). Needs
  edifact-writer.xsl's w:elements (reading EdiReader's XML), which this module includes.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:array="http://www.w3.org/2005/xpath-functions/array"
    xmlns:w="urn:tradehub:edifact-writer"
    xmlns:x="urn:tradehub:x12-writer"
    exclude-result-prefixes="#all">

  <xsl:include href="edifact-writer.xsl"/>

  <xsl:function name="x:value" as="xs:string">
    <xsl:param name="v" as="xs:string?"/>
    <xsl:sequence select="replace(string($v), '[*>~^]', ' ')"/>
  </xsl:function>

  <xsl:function name="x:trim" as="xs:string*">
    <xsl:param name="values" as="xs:string*"/>
    <xsl:variable name="last" select="(for $i in reverse(1 to count($values)) return $i[$values[$i] != ''])[1]"/>
    <xsl:sequence select="subsequence($values, 1, ($last, 0)[1])"/>
  </xsl:function>

  <!-- a segment from elements given as arrays of components: x:segment('N1', (['BY'], ['Name'])) -->
  <xsl:function name="x:segment" as="xs:string">
    <xsl:param name="tag" as="xs:string"/>
    <xsl:param name="elements" as="array(xs:string?)*"/>
    <xsl:variable name="texts" select="for $e in $elements
        return string-join(x:trim(for $c in array:flatten($e) return x:value($c)), '>')"/>
    <xsl:sequence select="string-join(($tag, x:trim($texts)), '*') || '~'"/>
  </xsl:function>

  <!-- a segment as EdiReader read it, written back unchanged (the partner's own ids, units, quantities) -->
  <xsl:function name="x:copy" as="xs:string">
    <xsl:param name="segment" as="element()"/>
    <xsl:sequence select="x:segment(string($segment/@tag), w:elements($segment))"/>
  </xsl:function>

  <xsl:function name="x:pad" as="xs:string">
    <xsl:param name="v" as="xs:string?"/>
    <xsl:param name="width" as="xs:integer"/>
    <xsl:sequence select="substring(x:value($v) || string-join(for $i in 1 to $width return ' '), 1, $width)"/>
  </xsl:function>

  <!--
    The whole interchange around one transaction set in one functional group. $env: map with ourId, ourQualifier,
    theirId, theirQualifier, controlRef (number), date (CCYYMMDD), time (HHMM), test ('T' / 'P'), isaVersion (00401,
    00501), gsVersion (004010, 005010), functionalId (GS01: PR for 855), setId (ST01), setRef (ST02).
  -->
  <xsl:function name="x:interchange" as="xs:string">
    <xsl:param name="env" as="map(*)"/>
    <xsl:param name="body" as="xs:string*"/>
    <xsl:variable name="icn" select="format-number(xs:integer($env?controlRef) mod 1000000000, '000000000')"/>
    <xsl:variable name="group" select="string(xs:integer($env?controlRef) mod 1000000000)"/>
    <xsl:sequence select="string-join((
        string-join(('ISA', '00', x:pad('', 10), '00', x:pad('', 10), x:pad(($env?ourQualifier[.], 'ZZ')[1], 2),
            x:pad($env?ourId, 15), x:pad(($env?theirQualifier[.], 'ZZ')[1], 2), x:pad($env?theirId, 15),
            substring($env?date, 3, 6), $env?time, if ($env?isaVersion ge '00500') then '^' else 'U',
            $env?isaVersion, $icn, '0', $env?test, '>'), '*') || '~',
        x:segment('GS', ([$env?functionalId], [$env?ourId], [$env?theirId], [$env?date], [$env?time], [$group], ['X'],
            [$env?gsVersion])),
        x:segment('ST', ([$env?setId], [$env?setRef])),
        $body,
        x:segment('SE', ([string(count($body) + 2)], [$env?setRef])),
        x:segment('GE', (['1'], [$group])),
        x:segment('IEA', (['1'], [$icn]))), '')"/>
  </xsl:function>
</xsl:stylesheet>
