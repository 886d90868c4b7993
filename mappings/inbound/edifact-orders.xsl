<?xml version="1.0" encoding="UTF-8"?>
<!--
  UN/EDIFACT ORDERS (D96A, D01B, EANCOM EAN008/EAN010) -> canonical TradeTransaction.
  Input: one message as written by org.tradehub.edi.EdiReader (<message><segment tag=".." qualifier=".." v2.1=".."/>:
  element 2 component 1 is @v2.1, absent when empty; a segment is picked by its qualifier, the same value as @v1.1).
  Segment groups are found by position: a NAD group runs until the next segment that cannot belong to it, a line
  group from LIN to the next LIN or UNS. Decimal commas are handled by edi:num().
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
  <!-- used only when the order carries no CUX -->
  <xsl:param name="hubDefaultCurrency" as="xs:string" select="''"/>

  <!-- segments that may follow a NAD inside its segment group (SG2..SG5 in D96A/D01B) -->
  <xsl:variable name="nad-group-tags" select="('LOC', 'FII', 'RFF', 'DTM', 'DOC', 'CTA', 'COM')"/>

  <xsl:template match="/message">
    <xsl:variable name="segs" select="segment"/>
    <xsl:variable name="first-lin" select="$segs[@tag = 'LIN'][1]"/>
    <xsl:variable name="uns" select="$segs[@tag = 'UNS'][1]"/>
    <!-- header = before the first LIN, summary = after UNS -->
    <xsl:variable name="head" select="if ($first-lin) then $first-lin/preceding-sibling::segment else $segs"/>
    <xsl:variable name="summary" select="$uns/following-sibling::segment"/>
    <xsl:variable name="line-segs" select="($first-lin, $first-lin/following-sibling::segment)[empty($uns) or . &lt;&lt; $uns]"/>

    <xsl:variable name="bgm" select="$segs[@tag = 'BGM'][1]"/>
    <xsl:variable name="order-id" select="$bgm/@v2.1"/>
    <xsl:if test="empty($order-id)">
      <xsl:message terminate="yes" error-code="TH-MAP-001">ORDERS without a document number (BGM C106/1004)</xsl:message>
    </xsl:if>
    <xsl:variable name="dtm137" select="$head[@tag = 'DTM'][@qualifier = '137'][1]"/>
    <xsl:variable name="issued" select="
        (edi:datetime($dtm137/@v1.2, $dtm137/@v1.3),
         edi:datetime(concat(@interchangeDate, @interchangeTime), '201'))[1]"/>

    <xsl:variable name="buyer" select="($head[@tag = 'NAD'][@qualifier = 'BY'], $head[@tag = 'NAD'][@qualifier = 'IV'])[1]"/>
    <xsl:variable name="seller" select="$head[@tag = 'NAD'][@qualifier = ('SU', 'SE')][1]"/>
    <xsl:variable name="shipto" select="$head[@tag = 'NAD'][@qualifier = ('DP', 'ST', 'CN')][1]"/>
    <xsl:variable name="cux" select="$head[@tag = 'CUX'][1]"/>
    <xsl:variable name="currency" select="
        ($cux ! (@v1.2, @v2.2, @v3.2, @v4.2), $hubDefaultCurrency[.])[1]"/>
    <xsl:if test="empty($currency)">
      <xsl:message terminate="yes" error-code="TH-MAP-002">ORDERS <xsl:value-of select="$order-id"/> has no currency (CUX) and no default was given</xsl:message>
    </xsl:if>

    <TradeTransaction schemaVersion="1.0">
      <Source>
        <Channel><xsl:value-of select="$hubChannel"/></Channel>
        <Format><xsl:value-of select="($hubSourceFormat[.], lower-case(concat('edifact-orders-', @version, @release)))[1]"/></Format>
        <xsl:for-each select="($hubPartnerId[.], @sender)[1]"><PartnerID><xsl:value-of select="."/></PartnerID></xsl:for-each>
        <ExternalOrderID><xsl:value-of select="$order-id"/></ExternalOrderID>
      </Source>
      <IssueDateTime><xsl:value-of select="$issued"/></IssueDateTime>
      <xsl:if test="$seller"><SellerTradeParty><xsl:call-template name="party"><xsl:with-param name="nad" select="$seller"/></xsl:call-template></SellerTradeParty></xsl:if>
      <BuyerTradeParty>
        <xsl:choose>
          <xsl:when test="$buyer"><xsl:call-template name="party"><xsl:with-param name="nad" select="$buyer"/></xsl:call-template></xsl:when>
          <!-- no NAD+BY: the interchange sender is the buyer -->
          <xsl:otherwise><Name><xsl:value-of select="@sender"/></Name></xsl:otherwise>
        </xsl:choose>
      </BuyerTradeParty>
      <xsl:if test="$shipto"><ShipToTradeParty><xsl:call-template name="party"><xsl:with-param name="nad" select="$shipto"/></xsl:call-template></ShipToTradeParty></xsl:if>

      <xsl:variable name="tod" select="$head[@tag = 'TOD'][upper-case(@v3.1) = $edi:incoterms][1]"/>
      <xsl:if test="$tod">
        <!-- LOC+1 (place of terms of delivery) follows TOD in SG8 -->
        <xsl:variable name="place" select="$tod/following-sibling::segment[1][@tag = 'LOC'][@qualifier = '1']"/>
        <xsl:variable name="place-id" select="upper-case(translate($place/@v2.1, ' &#9;&#10;&#13;-', ''))"/>
        <xsl:variable name="locode" select="matches($place-id, '^[A-Z]{2}[A-Z2-9]{3}$')"/>
        <DeliveryTerms>
          <IncotermsCode><xsl:value-of select="upper-case($tod/@v3.1)"/></IncotermsCode>
          <xsl:if test="$locode"><PlaceLocode><xsl:value-of select="$place-id"/></PlaceLocode></xsl:if>
          <xsl:for-each select="($place/@v2.4, $tod/@v3.4, if (not($locode)) then $place/@v2.1 else ())[1]">
            <PlaceName><xsl:value-of select="."/></PlaceName>
          </xsl:for-each>
        </DeliveryTerms>
      </xsl:if>

      <InvoiceCurrencyCode><xsl:value-of select="$currency"/></InvoiceCurrencyCode>
      <xsl:call-template name="lines"><xsl:with-param name="segs" select="$line-segs"/></xsl:call-template>

      <xsl:variable name="moa" select="($head, $summary)[@tag = 'MOA']"/>
      <xsl:variable name="line-total" as="xs:decimal">
        <xsl:variable name="stated" select="edi:num($moa[@qualifier = '79'][1]/@v1.2)"/>
        <xsl:choose>
          <xsl:when test="exists($stated)"><xsl:sequence select="$stated"/></xsl:when>
          <!-- no line total (MOA+79): the sum of the line amounts, from the line items built once more (the output
               gets them straight from the template: building them in a variable to copy them cost more) -->
          <xsl:otherwise>
            <xsl:variable name="lines" as="element()*">
              <xsl:call-template name="lines"><xsl:with-param name="segs" select="$line-segs"/></xsl:call-template>
            </xsl:variable>
            <xsl:sequence select="sum($lines/*:LineAmount/xs:decimal(.))"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <MonetarySummation>
        <LineTotalAmount><xsl:value-of select="$line-total"/></LineTotalAmount>
        <xsl:for-each select="edi:num($moa[@qualifier = '64'][1]/@v1.2)"><ShippingAmount><xsl:value-of select="."/></ShippingAmount></xsl:for-each>
        <xsl:for-each select="edi:num($moa[@qualifier = ('176', '124')][1]/@v1.2)"><TaxTotalAmount><xsl:value-of select="."/></TaxTotalAmount></xsl:for-each>
        <xsl:for-each select="edi:num($moa[@qualifier = ('204', '260')][1]/@v1.2)"><DiscountAmount><xsl:value-of select="."/></DiscountAmount></xsl:for-each>
        <GrandTotalAmount><xsl:value-of select="(edi:num($moa[@qualifier = ('86', '77', '128', '39')][1]/@v1.2), $line-total)[1]"/></GrandTotalAmount>
      </MonetarySummation>

      <xsl:variable name="dest" select="($shipto/@v9.1, $buyer/@v9.1)[1]"/>
      <xsl:if test="$dest"><Shipment><DestinationCountryID><xsl:value-of select="$dest"/></DestinationCountryID></Shipment></xsl:if>
    </TradeTransaction>
  </xsl:template>

  <!-- NAD with the RFF/CTA/COM of its segment group -->
  <xsl:template name="party">
    <xsl:param name="nad" as="element(segment)"/>
    <xsl:variable name="group" as="element(segment)*">
      <xsl:iterate select="$nad/following-sibling::segment">
        <xsl:choose>
          <xsl:when test="@tag = $nad-group-tags"><xsl:sequence select="."/></xsl:when>
          <xsl:otherwise><xsl:break/></xsl:otherwise>
        </xsl:choose>
      </xsl:iterate>
    </xsl:variable>
    <xsl:variable name="party-id" select="$nad/@v2.1"/>
    <xsl:variable name="name" select="string-join($nad ! (@v4.1, @v4.2, @v4.3, @v4.4, @v4.5), ' ')[.]"/>
    <xsl:variable name="name-address" select="string-join($nad ! (@v3.1, @v3.2, @v3.3, @v3.4, @v3.5), ' ')[.]"/>
    <Name><xsl:value-of select="($name, $name-address, $party-id)[1]"/></Name>
    <xsl:if test="$party-id">
      <!-- code list responsible agency 3055: 9 = GS1 (GLN), 16 = Dun &amp; Bradstreet -->
      <xsl:variable name="agency" select="$nad/@v2.3"/>
      <ID schemeID="{if ($agency = '9') then 'GLN' else if ($agency = '16') then 'DUNS' else ($agency, 'ZZZ')[1]}"><xsl:value-of select="$party-id"/></ID>
    </xsl:if>
    <xsl:for-each select="$group[@tag = 'RFF']">
      <xsl:variable name="q" select="string(@qualifier)"/>
      <xsl:if test="$q = ('VA', 'AHP', 'XA')">
        <ID schemeID="{if ($q = 'VA') then 'VAT' else if ($q = 'AHP') then 'TIN' else 'EORI'}"><xsl:value-of select="@v1.2"/></ID>
      </xsl:if>
    </xsl:for-each>
    <xsl:variable name="country" select="$nad/@v9.1"/>
    <xsl:if test="$country">
      <PostalAddress>
        <xsl:for-each select="$nad/@v5.1"><LineOne><xsl:value-of select="."/></LineOne></xsl:for-each>
        <xsl:variable name="more" select="string-join($nad ! (@v5.2, @v5.3, @v5.4), ' ')[.]"/>
        <xsl:for-each select="$more"><LineTwo><xsl:value-of select="."/></LineTwo></xsl:for-each>
        <xsl:for-each select="$nad/@v6.1"><CityName><xsl:value-of select="."/></CityName></xsl:for-each>
        <xsl:for-each select="$nad/@v8.1"><PostcodeCode><xsl:value-of select="."/></PostcodeCode></xsl:for-each>
        <xsl:for-each select="edi:subdivision($nad/@v7.1, $country)"><CountrySubDivisionID><xsl:value-of select="."/></CountrySubDivisionID></xsl:for-each>
        <CountryID><xsl:value-of select="$country"/></CountryID>
      </PostalAddress>
    </xsl:if>
    <xsl:variable name="person" select="$group[@tag = 'CTA'][1]/@v2.2"/>
    <xsl:variable name="email" select="$group[@tag = 'COM'][@v1.2 = 'EM'][1]/@v1.1"/>
    <xsl:variable name="phone" select="$group[@tag = 'COM'][@v1.2 = 'TE'][1]/@v1.1"/>
    <xsl:if test="exists(($person, $email, $phone))">
      <Contact>
        <xsl:for-each select="$person"><PersonName><xsl:value-of select="."/></PersonName></xsl:for-each>
        <xsl:for-each select="$email"><EmailURI><xsl:value-of select="."/></EmailURI></xsl:for-each>
        <xsl:for-each select="$phone"><TelephoneNumber><xsl:value-of select="."/></TelephoneNumber></xsl:for-each>
      </Contact>
    </xsl:if>
  </xsl:template>

  <!-- the LIN groups, from the first LIN to UNS -->
  <xsl:template name="lines">
    <xsl:param name="segs" as="element(segment)*"/>
    <xsl:for-each-group select="$segs" group-starting-with="segment[@tag = 'LIN']">
      <xsl:call-template name="line">
        <xsl:with-param name="g" select="current-group()"/>
        <xsl:with-param name="n" select="position()"/>
      </xsl:call-template>
    </xsl:for-each-group>
  </xsl:template>

  <!-- one LIN group (SG25 in D96A, SG28 in D01B) -->
  <xsl:template name="line">
    <xsl:param name="g" as="element(segment)*"/>
    <xsl:param name="n" as="xs:integer"/>
    <xsl:variable name="lin" select="$g[1]"/>
    <!-- PIA C212 item numbers: number (7140) and its type (7143) -->
    <!-- (PIA has C212 at elements 2 to 6) -->
    <xsl:variable name="pia" select="$g[@tag = 'PIA']"/>
    <xsl:variable name="sku" select="($pia ! (@v2.1[../@v2.2 = 'SA'], @v3.1[../@v3.2 = 'SA'], @v4.1[../@v4.2 = 'SA'],
                                              @v5.1[../@v5.2 = 'SA'], @v6.1[../@v6.2 = 'SA']), $lin/@v3.1)[1]"/>
    <xsl:variable name="hs" select="($pia ! (@v2.1[../@v2.2 = 'HS'], @v3.1[../@v3.2 = 'HS'], @v4.1[../@v4.2 = 'HS'],
                                             @v5.1[../@v5.2 = 'HS'], @v6.1[../@v6.2 = 'HS']))[1]"/>
    <xsl:variable name="description" select="string-join($g[@tag = 'IMD'] ! (@v3.4, @v3.5), ' ')[.]"/>
    <xsl:variable name="qty" select="$g[@tag = 'QTY'][@qualifier = '21'][1]"/>
    <xsl:variable name="quantity" select="edi:num($qty/@v1.2)"/>
    <xsl:variable name="pri" select="($g[@tag = 'PRI'][@qualifier = 'AAA'], $g[@tag = 'PRI'][@qualifier = 'AAB'])[1]"/>
    <!-- unit price basis (5284): the price is for that many units -->
    <xsl:variable name="basis" select="(edi:num($pri/@v1.5)[. ne 0], 1)[1]"/>
    <xsl:variable name="moa203" select="edi:num($g[@tag = 'MOA'][@qualifier = '203'][1]/@v1.2)"/>
    <xsl:variable name="price" select="
        if ($pri) then edi:num($pri/@v1.2) div $basis
        else if (exists($moa203) and $quantity ne 0) then $moa203 div $quantity
        else 0"/>
    <LineItem>
      <LineID><xsl:value-of select="($lin/@v1.1[. castable as xs:positiveInteger], $n)[1]"/></LineID>
      <xsl:for-each select="$sku"><SellerAssignedID><xsl:value-of select="."/></SellerAssignedID></xsl:for-each>
      <Description><xsl:value-of select="($description, $sku, concat('Line ', $n))[1]"/></Description>
      <xsl:for-each select="edi:digits($hs)[.]"><HSCode><xsl:value-of select="."/></HSCode></xsl:for-each>
      <xsl:for-each select="$g[@tag = 'ALI'][1]/@v1.1"><OriginCountryID><xsl:value-of select="."/></OriginCountryID></xsl:for-each>
      <Quantity unitCode="{edi:unit($qty/@v1.3)}"><xsl:value-of select="($quantity, 0)[1]"/></Quantity>
      <UnitPrice><xsl:value-of select="$price"/></UnitPrice>
      <LineAmount><xsl:value-of select="($moa203, ($quantity, 0)[1] * $price)[1]"/></LineAmount>
    </LineItem>
  </xsl:template>
</xsl:stylesheet>
