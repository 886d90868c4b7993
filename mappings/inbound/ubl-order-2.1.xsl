<?xml version="1.0" encoding="UTF-8"?>
<!-- OASIS UBL 2.1 Order (also the 2.0-based CEN BII / PEPPOL profiles) -> canonical TradeTransaction. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:ord="urn:oasis:names:specification:ubl:schema:xsd:Order-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
    xmlns="urn:tradehub:trade-transaction:1"
    exclude-result-prefixes="#all">

  <!-- compact, not indented: why in common-order.xsl -->
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:param name="hubChannel" as="xs:string" select="'unknown'"/>
  <xsl:param name="hubSourceFormat" as="xs:string" select="''"/>
  <xsl:param name="hubPartnerId" as="xs:string" select="''"/>
  <xsl:param name="hubDefaultCurrency" as="xs:string" select="''"/>

  <xsl:variable name="incoterms" select="('EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF')"/>

  <xsl:template match="/ord:Order">
    <xsl:variable name="order-id" select="normalize-space(cbc:ID)[.]"/>
    <xsl:if test="empty($order-id)">
      <xsl:message terminate="yes" error-code="TH-MAP-001">UBL Order without cbc:ID</xsl:message>
    </xsl:if>
    <xsl:variable name="currency" select="(normalize-space(cbc:DocumentCurrencyCode)[.],
        (.//cbc:LineExtensionAmount/@currencyID)[1], $hubDefaultCurrency[.])[1]"/>
    <xsl:if test="empty($currency)">
      <xsl:message terminate="yes" error-code="TH-MAP-002">UBL Order <xsl:value-of select="$order-id"/> has no currency and no default was given</xsl:message>
    </xsl:if>
    <xsl:variable name="lines" as="element()*">
      <xsl:apply-templates select="cac:OrderLine/cac:LineItem"/>
    </xsl:variable>
    <xsl:variable name="buyer" select="cac:BuyerCustomerParty/cac:Party"/>
    <xsl:variable name="seller" select="cac:SellerSupplierParty/cac:Party"/>
    <xsl:variable name="delivery" select="cac:Delivery[1]"/>
    <xsl:variable name="total" select="cac:AnticipatedMonetaryTotal"/>
    <xsl:variable name="line-total" select="(xs:decimal($total/cbc:LineExtensionAmount[. castable as xs:decimal]), sum($lines/*:LineAmount/xs:decimal(.)))[1]"/>
    <TradeTransaction schemaVersion="1.0">
      <Source>
        <Channel><xsl:value-of select="$hubChannel"/></Channel>
        <Format><xsl:value-of select="($hubSourceFormat[.], 'ubl-order-2.1')[1]"/></Format>
        <xsl:for-each select="($hubPartnerId[.], normalize-space($buyer/cbc:EndpointID)[.])[1]"><PartnerID><xsl:value-of select="."/></PartnerID></xsl:for-each>
        <ExternalOrderID><xsl:value-of select="$order-id"/></ExternalOrderID>
        <xsl:for-each select="normalize-space(cbc:SalesOrderID)[.]"><ExternalOrderNumber><xsl:value-of select="."/></ExternalOrderNumber></xsl:for-each>
      </Source>
      <!-- IssueTime may carry a zone; without one the date-time stays local -->
      <IssueDateTime><xsl:value-of select="if (cbc:IssueTime castable as xs:time) then dateTime(xs:date(cbc:IssueDate), xs:time(cbc:IssueTime)) else dateTime(xs:date(cbc:IssueDate), xs:time('00:00:00'))"/></IssueDateTime>
      <xsl:if test="$seller"><SellerTradeParty><xsl:apply-templates select="$seller"/></SellerTradeParty></xsl:if>
      <BuyerTradeParty><xsl:apply-templates select="$buyer"/></BuyerTradeParty>
      <xsl:choose>
        <xsl:when test="$delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode[normalize-space()]">
          <ShipToTradeParty>
            <Name><xsl:value-of select="(normalize-space($delivery/cac:DeliveryParty/cac:PartyName/cbc:Name)[.], normalize-space($delivery/cac:DeliveryLocation/cbc:Name)[.], normalize-space($buyer/cac:PartyName/cbc:Name)[.], 'Delivery location')[1]"/></Name>
            <xsl:apply-templates select="$delivery/cac:DeliveryLocation/cac:Address"/>
          </ShipToTradeParty>
        </xsl:when>
        <xsl:when test="$delivery/cac:DeliveryParty"><ShipToTradeParty><xsl:apply-templates select="$delivery/cac:DeliveryParty"/></ShipToTradeParty></xsl:when>
      </xsl:choose>
      <xsl:variable name="terms" select="normalize-space(cac:DeliveryTerms[1]/cbc:ID)"/>
      <xsl:if test="upper-case($terms) = $incoterms">
        <DeliveryTerms>
          <IncotermsCode><xsl:value-of select="upper-case($terms)"/></IncotermsCode>
          <xsl:for-each select="normalize-space(cac:DeliveryTerms[1]/cac:DeliveryLocation/cbc:ID)[matches(., '^[A-Z]{2}[A-Z2-9]{3}$')]"><PlaceLocode><xsl:value-of select="."/></PlaceLocode></xsl:for-each>
          <xsl:for-each select="normalize-space(cac:DeliveryTerms[1]/cac:DeliveryLocation/(cbc:Name, cac:Address/cbc:CityName)[1])[.]"><PlaceName><xsl:value-of select="."/></PlaceName></xsl:for-each>
        </DeliveryTerms>
      </xsl:if>
      <InvoiceCurrencyCode><xsl:value-of select="$currency"/></InvoiceCurrencyCode>
      <xsl:sequence select="$lines"/>
      <MonetarySummation>
        <LineTotalAmount><xsl:value-of select="$line-total"/></LineTotalAmount>
        <xsl:for-each select="$total/cbc:ChargeTotalAmount[. castable as xs:decimal]"><ShippingAmount><xsl:value-of select="xs:decimal(.)"/></ShippingAmount></xsl:for-each>
        <xsl:for-each select="cac:TaxTotal[1]/cbc:TaxAmount[. castable as xs:decimal]"><TaxTotalAmount><xsl:value-of select="xs:decimal(.)"/></TaxTotalAmount></xsl:for-each>
        <xsl:for-each select="$total/cbc:AllowanceTotalAmount[. castable as xs:decimal]"><DiscountAmount><xsl:value-of select="xs:decimal(.)"/></DiscountAmount></xsl:for-each>
        <GrandTotalAmount><xsl:value-of select="($total/cbc:PayableAmount[. castable as xs:decimal]/xs:decimal(.), $line-total)[1]"/></GrandTotalAmount>
      </MonetarySummation>
      <xsl:variable name="dest" select="normalize-space(($delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode, $buyer/cac:PostalAddress/cac:Country/cbc:IdentificationCode)[normalize-space()][1])[.]"/>
      <xsl:if test="$dest"><Shipment><DestinationCountryID><xsl:value-of select="$dest"/></DestinationCountryID></Shipment></xsl:if>
    </TradeTransaction>
  </xsl:template>

  <xsl:template match="cac:Party | cac:DeliveryParty">
    <Name><xsl:value-of select="(normalize-space(cac:PartyName[1]/cbc:Name)[.], normalize-space(cac:PartyLegalEntity[1]/cbc:RegistrationName)[.], normalize-space(cac:PartyIdentification[1]/cbc:ID)[.], normalize-space(cbc:EndpointID)[.])[1]"/></Name>
    <xsl:for-each select="cac:PartyIdentification/cbc:ID[normalize-space()]">
      <ID schemeID="{(@schemeID, @schemeAgencyID, 'ZZZ')[1]}"><xsl:value-of select="normalize-space()"/></ID>
    </xsl:for-each>
    <xsl:for-each select="cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID[normalize-space()]">
      <ID schemeID="VAT"><xsl:value-of select="normalize-space()"/></ID>
    </xsl:for-each>
    <xsl:apply-templates select="cac:PostalAddress[cac:Country/cbc:IdentificationCode[normalize-space()]]"/>
    <xsl:variable name="person" select="string-join((cac:Person[1]/cbc:FirstName, cac:Person[1]/cbc:FamilyName)/normalize-space()[.], ' ')[.]"/>
    <xsl:variable name="contact" select="cac:Contact[1]"/>
    <xsl:if test="$person or normalize-space($contact/cbc:Name) or normalize-space($contact/cbc:ElectronicMail) or normalize-space($contact/cbc:Telephone)">
      <Contact>
        <xsl:for-each select="($person, normalize-space($contact/cbc:Name)[.])[1]"><PersonName><xsl:value-of select="."/></PersonName></xsl:for-each>
        <xsl:for-each select="normalize-space($contact/cbc:ElectronicMail)[.]"><EmailURI><xsl:value-of select="."/></EmailURI></xsl:for-each>
        <xsl:for-each select="normalize-space($contact/cbc:Telephone)[.]"><TelephoneNumber><xsl:value-of select="."/></TelephoneNumber></xsl:for-each>
      </Contact>
    </xsl:if>
  </xsl:template>

  <xsl:template match="cac:PostalAddress | cac:Address">
    <xsl:variable name="country" select="normalize-space(cac:Country/cbc:IdentificationCode)"/>
    <PostalAddress>
      <xsl:for-each select="string-join((cbc:StreetName, cbc:BuildingNumber)/normalize-space()[.], ' ')[.]"><LineOne><xsl:value-of select="."/></LineOne></xsl:for-each>
      <xsl:for-each select="string-join((cbc:AdditionalStreetName, cbc:Postbox)/normalize-space()[.], ' ')[.]"><LineTwo><xsl:value-of select="."/></LineTwo></xsl:for-each>
      <xsl:for-each select="normalize-space(cbc:CityName)[.]"><CityName><xsl:value-of select="."/></CityName></xsl:for-each>
      <xsl:for-each select="normalize-space(cbc:PostalZone)[.]"><PostcodeCode><xsl:value-of select="."/></PostcodeCode></xsl:for-each>
      <!-- only a code can be an ISO 3166-2 subdivision; a free-text CountrySubentity is left out -->
      <xsl:for-each select="normalize-space(cbc:CountrySubentityCode)[.]"><CountrySubDivisionID><xsl:value-of select="if (contains(., '-')) then . else concat($country, '-', .)"/></CountrySubDivisionID></xsl:for-each>
      <CountryID><xsl:value-of select="$country"/></CountryID>
    </PostalAddress>
  </xsl:template>

  <xsl:template match="cac:LineItem">
    <xsl:variable name="qty" select="(cbc:Quantity[. castable as xs:decimal]/xs:decimal(.), 0)[1]"/>
    <xsl:variable name="base" select="(cac:Price/cbc:BaseQuantity[. castable as xs:decimal]/xs:decimal(.)[. ne 0], 1)[1]"/>
    <xsl:variable name="amount" select="cbc:LineExtensionAmount[. castable as xs:decimal]/xs:decimal(.)"/>
    <xsl:variable name="price" select="(cac:Price/cbc:PriceAmount[. castable as xs:decimal]/(xs:decimal(.) div $base), if (exists($amount) and $qty ne 0) then $amount div $qty else 0)[1]"/>
    <xsl:variable name="sku" select="normalize-space(cac:Item/cac:SellersItemIdentification/cbc:ID)[.]"/>
    <LineItem>
      <LineID><xsl:value-of select="(normalize-space(cbc:ID)[. castable as xs:positiveInteger], count(../preceding-sibling::cac:OrderLine) + 1)[1]"/></LineID>
      <xsl:for-each select="$sku"><SellerAssignedID><xsl:value-of select="."/></SellerAssignedID></xsl:for-each>
      <Description><xsl:value-of select="(string-join((cac:Item/cbc:Name, cac:Item/cbc:Description)/normalize-space()[.], ' - ')[.], $sku, normalize-space(cac:Item/cac:StandardItemIdentification/cbc:ID)[.], concat('Line ', normalize-space(cbc:ID)))[1]"/></Description>
      <xsl:for-each select="(cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode[@listID = 'HS'] ! replace(., '[^0-9]', ''))[.][1]"><HSCode><xsl:value-of select="."/></HSCode></xsl:for-each>
      <xsl:for-each select="normalize-space(cac:Item/cac:OriginCountry/cbc:IdentificationCode)[.]"><OriginCountryID><xsl:value-of select="."/></OriginCountryID></xsl:for-each>
      <Quantity unitCode="{(normalize-space(cbc:Quantity/@unitCode)[.], 'H87')[1]}"><xsl:value-of select="$qty"/></Quantity>
      <UnitPrice><xsl:value-of select="$price"/></UnitPrice>
      <LineAmount><xsl:value-of select="($amount, $qty * $price)[1]"/></LineAmount>
    </LineItem>
  </xsl:template>
</xsl:stylesheet>
