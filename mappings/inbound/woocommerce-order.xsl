<?xml version="1.0" encoding="UTF-8"?>
<!--
  WooCommerce order webhook (order.created / order.updated; body = WooCommerce REST API v3 order resource)
  -> canonical TradeTransaction (mappings/schemas/trade-transaction-1.xsd).

  Input is camel-xj's XML view of the JSON body (see shopify-order.xsl). WooCommerce sends "" for every address field
  it does not have, and a shipping{} object full of "" when there is no separate delivery address: an address is
  "present" only when it has a country or a first address line.
  Rules that need a decision:
  - UnitPrice = line `price` (a JSON number, copied as written); LineAmount = line `total` (after coupons, before tax).
  - DiscountAmount = discount_total (already netted into the line totals, so informational).
  - IssueDateTime = date_created_gmt marked as UTC; date_created (shop local time, no zone) when that is missing.
  - HSCode / OriginCountryID from line meta_data keys _hs_code / hs_code and _country_of_origin / country_of_origin.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:xj="http://camel.apache.org/component/xj"
    xmlns:f="urn:tradehub:xslt-functions"
    xmlns="urn:tradehub:trade-transaction:1"
    exclude-result-prefixes="xs xj f">

  <xsl:import href="common-order.xsl"/>

  <xsl:param name="hubChannel" as="xs:string?" select="'woocommerce'"/>
  <xsl:param name="hubSourceFormat" as="xs:string?" select="'woocommerce-order'"/>
  <xsl:param name="hubPartnerId" as="xs:string?"/>

  <xsl:template match="/object">
    <xsl:variable name="billing" select="f:obj(., 'billing')"/>
    <xsl:variable name="shipping" select="f:obj(., 'shipping')[exists((f:v(., 'country'), f:v(., 'address_1')))]"/>
    <xsl:variable name="lines" select="f:arr(., 'line_items')/object[@xj:type = 'object']"/>
    <xsl:variable name="shippingLines" select="f:arr(., 'shipping_lines')/object[@xj:type = 'object']"/>

    <TradeTransaction schemaVersion="1.0">
      <Source>
        <xsl:sequence select="f:el('Channel', $hubChannel), f:el('Format', $hubSourceFormat), f:el('PartnerID', $hubPartnerId),
                              f:el('ExternalOrderID', f:v(., 'id')), f:el('ExternalOrderNumber', f:v(., 'number'))"/>
      </Source>
      <xsl:variable name="createdGmt" select="f:v(., 'date_created_gmt')"/>
      <xsl:sequence select="f:el('IssueDateTime', f:date-time(
          if (matches($createdGmt, '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$')) then $createdGmt || 'Z' else ($createdGmt, f:v(., 'date_created'))[1]))"/>

      <xsl:apply-templates select="$billing" mode="party">
        <xsl:with-param name="element" select="'BuyerTradeParty'"/>
        <xsl:with-param name="email" select="f:v($billing, 'email')"/>
      </xsl:apply-templates>
      <xsl:apply-templates select="$shipping" mode="party">
        <xsl:with-param name="element" select="'ShipToTradeParty'"/>
      </xsl:apply-templates>

      <xsl:sequence select="f:el('InvoiceCurrencyCode', f:v(., 'currency'))"/>

      <xsl:for-each select="$lines">
        <xsl:variable name="meta" select="f:arr(., 'meta_data')/object"/>
        <xsl:variable name="quantity" select="f:v(., 'quantity')"/>
        <xsl:variable name="subtotal" select="f:v(., 'subtotal')"/>
        <LineItem>
          <LineID><xsl:sequence select="position()"/></LineID>
          <xsl:sequence select="f:el('SellerAssignedID', f:v(., 'sku')),
                                f:el('Description', f:v(., 'name')),
                                f:el('HSCode', f:hs-code(f:meta($meta, ('_hs_code', 'hs_code')))),
                                f:el('OriginCountryID', f:meta($meta, ('_country_of_origin', 'country_of_origin'))),
                                f:measure('Quantity', $quantity, 'C62'),
                                f:el('UnitPrice', (f:v(., 'price'),
                                     if ($subtotal castable as xs:decimal and $quantity castable as xs:decimal and xs:decimal($quantity) ne 0)
                                     then string(xs:decimal($subtotal) div xs:decimal($quantity)) else ())[1]),
                                f:el('LineAmount', f:v(., 'total'))"/>
        </LineItem>
      </xsl:for-each>

      <MonetarySummation>
        <xsl:sequence select="f:el('LineTotalAmount', f:sum($lines ! f:v(., 'total'), count($lines))),
                              f:el('ShippingAmount', f:v(., 'shipping_total')),
                              f:el('TaxTotalAmount', f:v(., 'total_tax')),
                              f:el('DiscountAmount', f:v(., 'discount_total')),
                              f:el('GrandTotalAmount', f:v(., 'total'))"/>
      </MonetarySummation>

      <xsl:sequence select="f:shipment((), $shippingLines ! f:v(., 'method_title'),
                                       (f:v($shipping, 'country'), f:v($billing, 'country'))[1])"/>
      <xsl:sequence select="f:payment(f:woo-payment-status(f:v(., 'status'), f:v(., 'date_paid')))"/>
    </TradeTransaction>
  </xsl:template>

  <!-- BuyerTradeParty / ShipToTradeParty from a billing{} or shipping{} object; Name is the company, else the person -->
  <xsl:template match="object" mode="party">
    <xsl:param name="element" as="xs:string"/>
    <xsl:param name="email" as="xs:string?"/>
    <xsl:variable name="country" select="f:v(., 'country')"/>
    <xsl:variable name="person" select="f:join(f:v(., 'first_name'), f:v(., 'last_name'))"/>
    <xsl:element name="{$element}" namespace="{$f:ns}">
      <xsl:sequence select="f:el('Name', (f:v(., 'company'), $person)[1])"/>
      <PostalAddress>
        <xsl:sequence select="f:el('LineOne', f:v(., 'address_1')), f:el('LineTwo', f:v(., 'address_2')),
                              f:el('CityName', f:v(., 'city')), f:el('PostcodeCode', f:v(., 'postcode')),
                              f:el('CountrySubDivisionID', f:subdivision($country, f:v(., 'state'))),
                              f:el('CountryID', $country)"/>
      </PostalAddress>
      <xsl:sequence select="f:contact($person, $email, f:v(., 'phone'))"/>
    </xsl:element>
  </xsl:template>

  <!-- the first non-empty value among meta_data entries with one of the keys -->
  <xsl:function name="f:meta" as="xs:string?">
    <xsl:param name="meta" as="element()*"/>
    <xsl:param name="keys" as="xs:string+"/>
    <xsl:sequence select="($meta[f:v(., 'key') = $keys] ! f:v(., 'value'))[1]"/>
  </xsl:function>

  <!-- WooCommerce status + date_paid -> canonical payment status (pending|authorized|paid|partially_paid|refunded|voided|unknown).
       processing/completed without date_paid is cash on delivery or a manual order: not paid yet. -->
  <xsl:function name="f:woo-payment-status" as="xs:string?">
    <xsl:param name="status" as="xs:string?"/>
    <xsl:param name="datePaid" as="xs:string?"/>
    <xsl:sequence select="if (empty($status)) then ()
        else if ($status = 'refunded') then 'refunded'
        else if ($status = ('cancelled', 'failed')) then 'voided'
        else if (exists($datePaid)) then 'paid'
        else if ($status = ('pending', 'on-hold', 'checkout-draft', 'processing', 'completed')) then 'pending'
        else 'unknown'"/>
  </xsl:function>
</xsl:stylesheet>
