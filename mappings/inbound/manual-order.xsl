<?xml version="1.0" encoding="UTF-8"?>
<!--
  An order entered by hand (POST /api/orders or the order form; mappings/schemas/manual-order-1.schema.json, which
  the hub checks before it queues the order) -> canonical TradeTransaction (mappings/schemas/trade-transaction-1.xsd).

  Input is camel-xj's XML view of the JSON body (see shopify-order.xsl). The format is the hub's own, named after the
  canonical's fields, so this template mostly renames. Rules that need a decision:
  - ExternalOrderID = ExternalOrderNumber = orderNumber: the firm's own number is the order's identity.
  - IssueDateTime = issueDate; a date alone is midnight UTC of that day; no issueDate = when the hub received it.
  - LineAmount = amount, else quantity x unitPrice; LineTotalAmount = the sum of the line amounts; GrandTotalAmount =
    grandTotal, else line total + shipping + tax - discount. Exact decimal arithmetic, nothing rounded.
  - Quantity's unit = unitCode, else C62 (one). Masses are in kilograms (KGM).
  - DestinationCountryID = the ship-to country, else the buyer's.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:xj="http://camel.apache.org/component/xj"
    xmlns:f="urn:tradehub:xslt-functions"
    xmlns="urn:tradehub:trade-transaction:1"
    exclude-result-prefixes="xs xj f">

  <xsl:import href="common-order.xsl"/>

  <xsl:param name="hubChannel" as="xs:string?" select="'manual-entry'"/>
  <xsl:param name="hubSourceFormat" as="xs:string?" select="'manual-order'"/>
  <xsl:param name="hubReceivedAt" as="xs:string?"/>

  <xsl:template match="/object">
    <xsl:variable name="buyer" select="f:obj(., 'buyer')"/>
    <xsl:variable name="shipTo" select="f:obj(., 'shipTo')"/>
    <xsl:variable name="terms" select="f:obj(., 'deliveryTerms')"/>
    <xsl:variable name="shipment" select="f:obj(., 'shipment')"/>
    <xsl:variable name="lines" select="f:arr(., 'lines')/object[@xj:type = 'object']"/>
    <xsl:variable name="amounts" select="$lines ! f:line-amount(.)"/>
    <xsl:variable name="lineTotal" select="f:sum($amounts, count($lines))"/>

    <TradeTransaction schemaVersion="1.0">
      <Source>
        <xsl:sequence select="f:el('Channel', $hubChannel), f:el('Format', $hubSourceFormat),
                              f:el('ExternalOrderID', f:v(., 'orderNumber')), f:el('ExternalOrderNumber', f:v(., 'orderNumber'))"/>
      </Source>
      <xsl:variable name="issued" select="f:v(., 'issueDate')"/>
      <xsl:sequence select="f:el('IssueDateTime', if (matches($issued, '^\d{4}-\d{2}-\d{2}$')) then $issued || 'T00:00:00Z'
                                                  else ($issued, $hubReceivedAt)[1])"/>

      <xsl:apply-templates select="$buyer" mode="party">
        <xsl:with-param name="element" select="'BuyerTradeParty'"/>
      </xsl:apply-templates>
      <xsl:apply-templates select="$shipTo" mode="party">
        <xsl:with-param name="element" select="'ShipToTradeParty'"/>
      </xsl:apply-templates>
      <xsl:if test="$terms">
        <DeliveryTerms>
          <xsl:sequence select="f:el('IncotermsCode', f:v($terms, 'incoterms')), f:el('PlaceLocode', f:v($terms, 'placeLocode')),
                                f:el('PlaceName', f:v($terms, 'placeName'))"/>
        </DeliveryTerms>
      </xsl:if>

      <xsl:sequence select="f:el('InvoiceCurrencyCode', f:v(., 'currency'))"/>

      <xsl:for-each select="$lines">
        <LineItem>
          <LineID><xsl:sequence select="position()"/></LineID>
          <xsl:sequence select="f:el('SellerAssignedID', f:v(., 'sku')),
                                f:el('Description', f:v(., 'description')),
                                f:el('HSCode', f:hs-code(f:v(., 'hsCode'))),
                                f:el('OriginCountryID', f:v(., 'originCountry')),
                                f:measure('Quantity', f:v(., 'quantity'), (f:v(., 'unitCode'), 'C62')[1]),
                                f:el('UnitPrice', f:v(., 'unitPrice')),
                                f:el('LineAmount', f:line-amount(.)),
                                f:measure('NetMass', f:v(., 'netMassKg'), 'KGM'),
                                f:measure('GrossMass', f:v(., 'grossMassKg'), 'KGM')"/>
        </LineItem>
      </xsl:for-each>

      <xsl:variable name="extras" select="(f:v(., 'shippingAmount'), f:v(., 'taxAmount'))[. castable as xs:decimal]"/>
      <xsl:variable name="discount" select="f:v(., 'discountAmount')[. castable as xs:decimal]"/>
      <MonetarySummation>
        <xsl:sequence select="f:el('LineTotalAmount', $lineTotal),
                              f:el('ShippingAmount', f:v(., 'shippingAmount')),
                              f:el('TaxTotalAmount', f:v(., 'taxAmount')),
                              f:el('DiscountAmount', $discount),
                              f:el('GrandTotalAmount', (f:v(., 'grandTotal'),
                                   if ($lineTotal) then f:amount(xs:decimal($lineTotal) + sum($extras ! xs:decimal(.))
                                                                 - sum($discount ! xs:decimal(.))) else ())[1])"/>
      </MonetarySummation>

      <xsl:variable name="destination" select="(f:v(f:obj($shipTo, 'address'), 'country'), f:v(f:obj($buyer, 'address'), 'country'))[1]"/>
      <xsl:if test="exists(($shipment, $destination))">
        <Shipment>
          <xsl:sequence select="f:el('PackageQuantity', f:v($shipment, 'packages')),
                                f:measure('GrossMass', f:v($shipment, 'grossMassKg'), 'KGM'),
                                f:el('ServiceLevel', f:v($shipment, 'serviceLevel')),
                                f:el('DestinationCountryID', $destination)"/>
        </Shipment>
      </xsl:if>
      <xsl:sequence select="f:payment(f:v(., 'paymentStatus'))"/>
    </TradeTransaction>
  </xsl:template>

  <!-- BuyerTradeParty / ShipToTradeParty from a buyer{} or shipTo{} object -->
  <xsl:template match="object" mode="party">
    <xsl:param name="element" as="xs:string"/>
    <xsl:variable name="address" select="f:obj(., 'address')"/>
    <xsl:variable name="contact" select="f:obj(., 'contact')"/>
    <xsl:element name="{$element}" namespace="{$f:ns}">
      <xsl:sequence select="f:el('Name', f:v(., 'name'))"/>
      <xsl:for-each select="f:arr(., 'ids')/object[@xj:type = 'object'][f:v(., 'value')]">
        <ID schemeID="{f:v(., 'scheme')}"><xsl:sequence select="f:v(., 'value')"/></ID>
      </xsl:for-each>
      <xsl:if test="$address">
        <PostalAddress>
          <xsl:sequence select="f:el('LineOne', f:v($address, 'line1')), f:el('LineTwo', f:v($address, 'line2')),
                                f:el('CityName', f:v($address, 'city')), f:el('PostcodeCode', f:v($address, 'postcode')),
                                f:el('CountrySubDivisionID', f:v($address, 'subdivision')),
                                f:el('CountryID', f:v($address, 'country'))"/>
        </PostalAddress>
      </xsl:if>
      <xsl:sequence select="f:contact(f:v($contact, 'name'), f:v($contact, 'email'), f:v($contact, 'phone'))"/>
    </xsl:element>
  </xsl:template>

  <!-- a line's amount as given, else quantity x unit price; () when neither can be had (the validator says so) -->
  <xsl:function name="f:line-amount" as="xs:string?">
    <xsl:param name="line" as="element()"/>
    <xsl:variable name="quantity" select="f:v($line, 'quantity')"/>
    <xsl:variable name="price" select="f:v($line, 'unitPrice')"/>
    <xsl:sequence select="(f:v($line, 'amount'),
        if ($quantity castable as xs:decimal and $price castable as xs:decimal)
        then f:amount(xs:decimal($quantity) * xs:decimal($price)) else ())[1]"/>
  </xsl:function>
</xsl:stylesheet>
