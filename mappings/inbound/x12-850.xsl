<?xml version="1.0" encoding="UTF-8"?>
<!--
  X12 850 Purchase Order (004010, 005010) -> canonical TradeTransaction.
  Input: one transaction set as written by org.tradehub.edi.EdiReader (element 2 is @v2.1, absent when empty; a
  segment is picked by its qualifier attribute, the value of its first element: N1*BY, AMT*TT). The N1 loop runs from N1 to the next N1 or
  a segment outside the loop; the PO1 loop from PO1 to the next PO1 or CTT/AMT/SE.
  Assumptions (X12 is a US domestic standard): no CUR means USD unless hubDefaultCurrency says otherwise; an N4
  without country means US.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:edi="urn:tradehub:edi-functions"
    xmlns="urn:tradehub:trade-transaction:1"
    exclude-result-prefixes="#all">

  <xsl:include href="edi-functions.xsl"/>
  <!-- compact, not indented: why in common-order.xsl -->
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:param name="hubChannel" as="xs:string" select="'unknown'"/>
  <xsl:param name="hubSourceFormat" as="xs:string" select="''"/>
  <xsl:param name="hubPartnerId" as="xs:string" select="''"/>
  <xsl:param name="hubDefaultCurrency" as="xs:string" select="'USD'"/>

  <xsl:variable name="n1-loop-tags" select="('N2', 'N3', 'N4', 'REF', 'PER', 'FOB', 'TD1', 'TD5', 'TD3', 'TD4', 'PKG')"/>

  <xsl:template match="/message">
    <xsl:variable name="segs" select="segment"/>
    <xsl:variable name="first-po1" select="$segs[@tag = 'PO1'][1]"/>
    <xsl:variable name="ctt" select="$segs[@tag = ('CTT', 'SE')][1]"/>
    <xsl:variable name="head" select="if ($first-po1) then $first-po1/preceding-sibling::segment else $segs"/>
    <xsl:variable name="lines" as="element()*">
      <xsl:for-each-group select="($first-po1, $first-po1/following-sibling::segment)[. &lt;&lt; $ctt]"
                          group-starting-with="segment[@tag = 'PO1']">
        <xsl:call-template name="line">
          <xsl:with-param name="g" select="current-group()"/>
          <xsl:with-param name="n" select="position()"/>
        </xsl:call-template>
      </xsl:for-each-group>
    </xsl:variable>

    <xsl:variable name="beg" select="$segs[@tag = 'BEG'][1]"/>
    <xsl:variable name="order-id" select="$beg/@v3.1"/>
    <xsl:if test="empty($order-id)">
      <xsl:message terminate="yes" error-code="TH-MAP-001">850 without a purchase order number (BEG03)</xsl:message>
    </xsl:if>
    <xsl:variable name="dtm" select="$head[@tag = 'DTM'][@qualifier = '004'][1]"/>
    <xsl:variable name="issued" select="(edi:datetime($beg/@v5.1, ()),
        edi:datetime(concat($dtm/@v2.1, $dtm/@v3.1), ()),
        edi:datetime(concat(@interchangeDate, @interchangeTime), ()))[1]"/>
    <xsl:variable name="n1" select="$head[@tag = 'N1']"/>
    <xsl:variable name="buyer" select="($n1[@qualifier = 'BY'], $n1[@qualifier = 'BT'])[1]"/>
    <xsl:variable name="seller" select="$n1[@qualifier = ('SE', 'VN', 'SU')][1]"/>
    <xsl:variable name="shipto" select="$n1[@qualifier = 'ST'][1]"/>
    <xsl:variable name="fob" select="$head[@tag = 'FOB'][upper-case(@v6.1) = $edi:incoterms][1]"/>
    <xsl:variable name="td5" select="$head[@tag = 'TD5'][1]"/>

    <TradeTransaction schemaVersion="1.0">
      <Source>
        <Channel><xsl:value-of select="$hubChannel"/></Channel>
        <Format><xsl:value-of select="($hubSourceFormat[.], concat('x12-850-', substring(@version, 3, 4)))[1]"/></Format>
        <xsl:for-each select="($hubPartnerId[.], @sender)[1]"><PartnerID><xsl:value-of select="."/></PartnerID></xsl:for-each>
        <ExternalOrderID><xsl:value-of select="$order-id"/></ExternalOrderID>
      </Source>
      <IssueDateTime><xsl:value-of select="$issued"/></IssueDateTime>
      <xsl:if test="$seller"><SellerTradeParty><xsl:call-template name="party"><xsl:with-param name="n1" select="$seller"/></xsl:call-template></SellerTradeParty></xsl:if>
      <BuyerTradeParty>
        <xsl:choose>
          <xsl:when test="$buyer"><xsl:call-template name="party"><xsl:with-param name="n1" select="$buyer"/></xsl:call-template></xsl:when>
          <xsl:otherwise><Name><xsl:value-of select="@sender"/></Name></xsl:otherwise>
        </xsl:choose>
      </BuyerTradeParty>
      <xsl:if test="$shipto"><ShipToTradeParty><xsl:call-template name="party"><xsl:with-param name="n1" select="$shipto"/></xsl:call-template></ShipToTradeParty></xsl:if>
      <xsl:if test="$fob">
        <DeliveryTerms>
          <IncotermsCode><xsl:value-of select="upper-case($fob/@v6.1)"/></IncotermsCode>
          <xsl:for-each select="($fob/@v7.1[../@v8.1], $fob/@v3.1)[1]"><PlaceName><xsl:value-of select="($fob/@v8.1, .)[1]"/></PlaceName></xsl:for-each>
        </DeliveryTerms>
      </xsl:if>
      <InvoiceCurrencyCode><xsl:value-of select="($head[@tag = 'CUR'][1]/@v2.1, $hubDefaultCurrency)[1]"/></InvoiceCurrencyCode>
      <xsl:sequence select="$lines"/>
      <xsl:variable name="line-total" select="sum($lines/*:LineAmount/xs:decimal(.))"/>
      <!-- SAC05 is N2: two implied decimals. D240 = freight. -->
      <xsl:variable name="freight" select="sum($head[@tag = 'SAC'][@qualifier = 'C'][@v2.1 = 'D240'] ! (edi:num(@v5.1) div 100))"/>
      <MonetarySummation>
        <LineTotalAmount><xsl:value-of select="$line-total"/></LineTotalAmount>
        <xsl:if test="$freight ne 0"><ShippingAmount><xsl:value-of select="$freight"/></ShippingAmount></xsl:if>
        <xsl:for-each select="edi:num($segs[@tag = 'AMT'][@qualifier = 'GV'][1]/@v2.1)"><TaxTotalAmount><xsl:value-of select="."/></TaxTotalAmount></xsl:for-each>
        <GrandTotalAmount><xsl:value-of select="(edi:num($segs[@tag = 'AMT'][@qualifier = 'TT'][1]/@v2.1), $line-total + $freight)[1]"/></GrandTotalAmount>
      </MonetarySummation>
      <xsl:variable name="service" select="($td5/@v12.1, $td5/@v5.1)[1]"/>
      <xsl:variable name="dest" select="(($shipto/following-sibling::segment[@tag = 'N4'][1])/@v4.1, 'US'[$shipto/following-sibling::segment[1][@tag = ('N2', 'N3', 'N4')]])[1]"/>
      <xsl:if test="exists(($service, $dest))">
        <Shipment>
          <xsl:for-each select="$service"><ServiceLevel><xsl:value-of select="."/></ServiceLevel></xsl:for-each>
          <xsl:for-each select="$dest"><DestinationCountryID><xsl:value-of select="."/></DestinationCountryID></xsl:for-each>
        </Shipment>
      </xsl:if>
    </TradeTransaction>
  </xsl:template>

  <xsl:template name="party">
    <xsl:param name="n1" as="element(segment)"/>
    <xsl:variable name="loop" as="element(segment)*">
      <xsl:iterate select="$n1/following-sibling::segment">
        <xsl:choose>
          <xsl:when test="@tag = $n1-loop-tags"><xsl:sequence select="."/></xsl:when>
          <xsl:otherwise><xsl:break/></xsl:otherwise>
        </xsl:choose>
      </xsl:iterate>
    </xsl:variable>
    <xsl:variable name="n4" select="$loop[@tag = 'N4'][1]"/>
    <xsl:variable name="n3" select="$loop[@tag = 'N3']"/>
    <xsl:variable name="per" select="$loop[@tag = 'PER'][1]"/>
    <Name><xsl:value-of select="(string-join(($n1/@v2.1, $loop[@tag = 'N2']/@v1.1), ' ')[.], $n1/@v4.1)[1]"/></Name>
    <xsl:for-each select="$n1/@v4.1">
      <!-- 66 identification code qualifier: 1/9 = DUNS, UL = GLN -->
      <xsl:variable name="q" select="$n1/@v3.1"/>
      <ID schemeID="{if ($q = ('1', '9')) then 'DUNS' else if ($q = 'UL') then 'GLN' else ($q, 'ZZZ')[1]}"><xsl:value-of select="."/></ID>
    </xsl:for-each>
    <xsl:if test="$n4">
      <PostalAddress>
        <xsl:for-each select="$n3[1]/@v1.1"><LineOne><xsl:value-of select="."/></LineOne></xsl:for-each>
        <xsl:for-each select="string-join(($n3[1]/@v2.1, $n3[position() > 1] ! (@v1.1, @v2.1)), ' ')[.]"><LineTwo><xsl:value-of select="."/></LineTwo></xsl:for-each>
        <xsl:for-each select="$n4/@v1.1"><CityName><xsl:value-of select="."/></CityName></xsl:for-each>
        <xsl:for-each select="$n4/@v3.1"><PostcodeCode><xsl:value-of select="."/></PostcodeCode></xsl:for-each>
        <xsl:variable name="country" select="($n4/@v4.1, 'US')[1]"/>
        <xsl:for-each select="edi:subdivision($n4/@v2.1, $country)"><CountrySubDivisionID><xsl:value-of select="."/></CountrySubDivisionID></xsl:for-each>
        <CountryID><xsl:value-of select="$country"/></CountryID>
      </PostalAddress>
    </xsl:if>
    <xsl:if test="$per">
      <!-- PER03/04 and PER05/06 are qualifier/number pairs -->
      <xsl:variable name="comm" select="($per/@v3.1 || '|' || $per/@v4.1, $per/@v5.1 || '|' || $per/@v6.1)"/>
      <Contact>
        <xsl:for-each select="$per/@v2.1"><PersonName><xsl:value-of select="."/></PersonName></xsl:for-each>
        <xsl:for-each select="$comm[starts-with(., 'EM|')][1]"><EmailURI><xsl:value-of select="substring-after(., '|')"/></EmailURI></xsl:for-each>
        <xsl:for-each select="$comm[starts-with(., 'TE|')][1]"><TelephoneNumber><xsl:value-of select="substring-after(., '|')"/></TelephoneNumber></xsl:for-each>
      </Contact>
    </xsl:if>
  </xsl:template>

  <xsl:template name="line">
    <xsl:param name="g" as="element(segment)*"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:variable name="po1" select="$g[1]"/>
    <!-- PO106..PO125: product id qualifier (235) / id pairs -->
    <xsl:variable name="ids" select="$po1 ! (
        @v6.1 ! (. || '|' || ../@v7.1), @v8.1 ! (. || '|' || ../@v9.1), @v10.1 ! (. || '|' || ../@v11.1),
        @v12.1 ! (. || '|' || ../@v13.1), @v14.1 ! (. || '|' || ../@v15.1), @v16.1 ! (. || '|' || ../@v17.1),
        @v18.1 ! (. || '|' || ../@v19.1), @v20.1 ! (. || '|' || ../@v21.1), @v22.1 ! (. || '|' || ../@v23.1),
        @v24.1 ! (. || '|' || ../@v25.1))"/>
    <xsl:variable name="sku" select="(for $q in ('VP', 'VN', 'SK', 'BP', 'IN', 'UP', 'EN') return $ids[starts-with(., $q || '|')] ! substring-after(., '|'))[.][1]"/>
    <xsl:variable name="hs" select="$ids[starts-with(., 'HS|')][1] ! substring-after(., '|')"/>
    <xsl:variable name="quantity" select="(edi:num($po1/@v2.1), 0)[1]"/>
    <xsl:variable name="price" select="(edi:num($po1/@v4.1), 0)[1]"/>
    <LineItem>
      <LineID><xsl:value-of select="($po1/@v1.1[. castable as xs:positiveInteger], $n)[1]"/></LineID>
      <xsl:for-each select="$sku"><SellerAssignedID><xsl:value-of select="."/></SellerAssignedID></xsl:for-each>
      <Description><xsl:value-of select="(string-join($g[@tag = 'PID']/@v5.1, ' ')[.], $sku, concat('Line ', $n))[1]"/></Description>
      <xsl:for-each select="edi:digits($hs)[.]"><HSCode><xsl:value-of select="."/></HSCode></xsl:for-each>
      <Quantity unitCode="{edi:unit($po1/@v3.1)}"><xsl:value-of select="$quantity"/></Quantity>
      <UnitPrice><xsl:value-of select="$price"/></UnitPrice>
      <LineAmount><xsl:value-of select="(edi:num($g[@tag = 'AMT'][@qualifier = '1'][1]/@v2.1), $quantity * $price)[1]"/></LineAmount>
    </LineItem>
  </xsl:template>
</xsl:stylesheet>
