<?xml version="1.0" encoding="UTF-8"?>
<!--
  UN/EDIFACT ORDERS (as read by org.tradehub.edi.EdiReader) -> ORDRSP order response to the buying partner, one
  interchange with one message. It answers the order itself, not our canonical view of it: the order number, the
  partner's own party ids, item numbers, quantities and units are echoed as the partner sent them.

  Envelope: the order's interchange ids swapped (we answer as the party the partner addressed, to the party that
  sent it), the order's syntax version (3 or 4) and directory (ORDERS D96A -> ORDRSP D96A, D01B -> D01B), character
  set UNOC: the response carries codes, numbers and our own plain-language reasons. No association code (EANCOM's
  ORDRSP subset codes differ from its ORDERS codes: a partner's MIG that needs one gets a copy of this template).

  Segments (D96A/D01B ORDRSP):
    BGM 1001 = 231 purchase order response, 1004 = our response number, 1225 = 29 accepted without amendment /
        27 not accepted, 4343 = AP accepted / RE rejected
    DTM 137 document date;  FTX AAO error description: why the order was not accepted (one FTX per reason)
    RFF ON order number + DTM 171 its date (SG1);  NAD BY / SU / DP as the order named them (SG3)
    per order line (SG26): LIN with 1229 = 5 accepted without amendment / 7 not accepted and the order's item
        number, the order's PIA, QTY 21 ordered quantity and unit as ordered (a decimal comma becomes the '.' our
        UNA declares)
    UNS S, CNT 2 number of lines
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:w="urn:tradehub:edifact-writer"
    exclude-result-prefixes="#all">

  <xsl:include href="edifact-writer.xsl"/>
  <xsl:output method="text" encoding="ISO-8859-1"/>

  <xsl:param name="controlRef" as="xs:string"/>        <!-- our UNB 0020 -->
  <xsl:param name="documentDateTime" as="xs:string"/>  <!-- CCYYMMDDHHMM -->
  <xsl:param name="testIndicator" as="xs:string" select="''"/>
  <xsl:param name="orderAccepted" as="xs:string"/>     <!-- 'true' / 'false' -->
  <xsl:param name="rejectReasons" as="xs:string" select="''"/> <!-- one reason per line -->

  <xsl:template match="/message">
    <xsl:variable name="segs" select="segment"/>
    <xsl:variable name="accepted" select="$orderAccepted = 'true'"/>
    <xsl:variable name="v4" select="@syntaxVersion = '4'"/>
    <xsl:variable name="order-number" select="string($segs[@tag = 'BGM'][1]/@v2.1)"/>
    <xsl:variable name="order-date" select="$segs[@tag = 'DTM'][@v1.1 = '137'][1]"/>
    <xsl:variable name="lines" select="$segs[@tag = 'LIN']"/>
    <xsl:variable name="header" as="xs:string*" select="(
        w:segment('BGM', (['231'], [$controlRef], [if ($accepted) then '29' else '27'], [if ($accepted) then 'AP' else 'RE'])),
        w:segment('DTM', (['137', $documentDateTime, '203'])),
        if ($accepted) then () else
          for $reason in tokenize($rejectReasons, '\n')[normalize-space()]
          return w:segment('FTX', (['AAO'], [], [], array { for $i in 0 to 4 return substring($reason, $i * 512 + 1, 512) })),
        w:segment('RFF', (['ON', $order-number])),
        if ($order-date) then w:segment('DTM', (['171', string($order-date/@v1.2),
            string($order-date/@v1.3)])) else (),
        for $nad in $segs[@tag = 'NAD'][@v1.1 = ('BY', 'SU', 'DP')]
        return w:segment('NAD', ([string($nad/@v1.1)], w:components($nad, 2)))
      )"/>
    <xsl:variable name="items" as="xs:string*">
      <xsl:for-each select="$lines">
        <xsl:variable name="lin" select="."/>
        <xsl:variable name="next" select="$lin/following-sibling::segment[@tag = ('LIN', 'UNS')][1]"/>
        <xsl:variable name="group" select="$lin/following-sibling::segment[empty($next) or . &lt;&lt; $next]"/>
        <xsl:sequence select="(
            w:segment('LIN', ([string(($lin/@v1.1, position())[1])], [if ($accepted) then '5' else '7'],
                              w:components($lin, 3))),
            $group[@tag = 'PIA'] ! w:copy(.),
            for $qty in $group[@tag = 'QTY'][@v1.1 = '21'][1]
            return w:segment('QTY', (['21', translate($qty/@v1.2, ',', '.'), string($qty/@v1.3)])))"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:value-of select="w:interchange(
        map { 'ourId': string(@receiver), 'ourQualifier': string(@receiverQualifier),
              'theirId': string(@sender), 'theirQualifier': string(@senderQualifier),
              'controlRef': $controlRef, 'syntax': 'UNOC', 'syntaxVersion': if ($v4) then '4' else '3',
              'date': if ($v4) then substring($documentDateTime, 1, 8) else substring($documentDateTime, 3, 6),
              'time': substring($documentDateTime, 9, 4), 'test': $testIndicator,
              'messageRef': '1', 'messageId': ['ORDRSP', string(@version), string(@release), string(@agency)] },
        ($header, $items, w:segment('UNS', (['S'])), w:segment('CNT', (['2', string(count($lines))])))
      )"/>
  </xsl:template>
</xsl:stylesheet>
