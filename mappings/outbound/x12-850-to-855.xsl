<?xml version="1.0" encoding="UTF-8"?>
<!--
  X12 850 purchase order (as read by org.tradehub.edi.EdiReader) -> 855 purchase order acknowledgment to the buying
  partner, one interchange, one group (GS01 PR), one transaction set. It answers the order itself: the PO number and
  date, the partner's N1 parties, line numbers, quantities, units and product ids are echoed as the partner sent them.

  Envelope: the order's ISA/GS ids swapped, its ISA version (00401 -> 00401) and GS version (004010 -> 004010).

  Segments:
    BAK01 = 00 original; BAK02 = AD "acknowledge - with detail, no change" when the order is accepted (we change
        nothing: AC would announce changes), RJ "rejected - no detail" when it is not; BAK03 PO number, BAK04 PO date
        (BEG05), BAK08 our acknowledgment number, BAK09 acknowledgment date
    NTE GEN: why the order was rejected, in pieces of 80 characters (NTE02 is AN 1-80)
    N1 loop: the order's N1 BY / SE / ST / VN as sent
    per accepted order line: the PO1 as sent, ACK IA (item accepted) with the quantity and unit ordered; CTT lines
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:x="urn:tradehub:x12-writer"
    exclude-result-prefixes="#all">

  <xsl:include href="x12-writer.xsl"/>
  <xsl:output method="text" encoding="ISO-8859-1"/>

  <xsl:param name="controlRef" as="xs:string"/>        <!-- our ISA13 / GS06 -->
  <xsl:param name="documentDateTime" as="xs:string"/>  <!-- CCYYMMDDHHMM -->
  <xsl:param name="testIndicator" as="xs:string" select="''"/> <!-- '1' = test -->
  <xsl:param name="orderAccepted" as="xs:string"/>     <!-- 'true' / 'false' -->
  <xsl:param name="rejectReasons" as="xs:string" select="''"/> <!-- one reason per line -->

  <xsl:template match="/message">
    <xsl:variable name="segs" select="segment"/>
    <xsl:variable name="accepted" select="$orderAccepted = 'true'"/>
    <xsl:variable name="beg" select="$segs[@tag = 'BEG'][1]"/>
    <xsl:variable name="date" select="substring($documentDateTime, 1, 8)"/>
    <xsl:variable name="lines" select="$segs[@tag = 'PO1']"/>
    <xsl:variable name="body" as="xs:string*" select="(
        x:segment('BAK', (['00'], [if ($accepted) then 'AD' else 'RJ'], [string($beg/@v3.1)],
                          [(string($beg/@v5.1)[.], $date)[1]], [], [], [], [$controlRef], [$date])),
        if ($accepted) then () else
          for $reason in tokenize($rejectReasons, '\n')[normalize-space()],
              $i in 0 to (string-length($reason) - 1) idiv 80
          return x:segment('NTE', (['GEN'], [substring($reason, $i * 80 + 1, 80)])),
        for $n1 in $segs[@tag = 'N1'][@v1.1 = ('BY', 'SE', 'ST', 'VN')] return x:copy($n1),
        if (not($accepted)) then () else (
          for $po1 in $lines return (x:copy($po1),
              x:segment('ACK', (['IA'], [string($po1/@v2.1)], [string($po1/@v3.1)]))),
          x:segment('CTT', ([string(count($lines))])))
      )"/>
    <xsl:value-of select="x:interchange(
        map { 'ourId': string(@receiver), 'ourQualifier': string(@receiverQualifier),
              'theirId': string(@sender), 'theirQualifier': string(@senderQualifier),
              'controlRef': $controlRef, 'date': $date, 'time': substring($documentDateTime, 9, 4),
              'test': if ($testIndicator = '1') then 'T' else 'P',
              'isaVersion': (string(@syntaxVersion)[.], '00401')[1], 'gsVersion': (string(@version)[.], '004010')[1],
              'functionalId': 'PR', 'setId': '855', 'setRef': '0001' },
        $body)"/>
  </xsl:template>
</xsl:stylesheet>
