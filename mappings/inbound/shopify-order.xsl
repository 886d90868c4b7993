<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shopify order webhook (REST Admin API Order resource, API 2023-07 .. 2024-07 shapes: orders/create, orders/paid,
  orders/updated) -> canonical TradeTransaction (mappings/schemas/trade-transaction-1.xsd).

  Input is camel-xj's XML view of the JSON body (transformDirection=JSON2XML): every JSON value is an element
  named "object" (no namespace) with xj:name (the JSON key) and xj:type (object|array|string|int|float|boolean|null).
  xj copies the JSON number text unchanged, so ids above 2^53 and decimal strings arrive exact; this template never
  converts them to xs:double. JSON null arrives as the text "null" with xj:type="null" and is treated as absent.

  Amounts are taken in the shop currency (`currency`, the *_set/shop_money values), never presentment money.
  Rules that need a decision:
  - LineAmount = price * quantity - the line's discount_allocations (or the legacy total_discount when there are
    none); DiscountAmount = the order's total_discounts as Shopify states it (part of it may already be netted into
    the line amounts, so it is informational and not re-applied).
  - NetMass = grams (weight of one unit) * quantity, in KGM; a weight of 0 means "not set" in Shopify and is left out.
  - Nothing is invented: a missing or empty value leaves its element out, so the validator can name what is missing.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:xj="http://camel.apache.org/component/xj"
    xmlns:f="urn:tradehub:xslt-functions"
    xmlns="urn:tradehub:trade-transaction:1"
    exclude-result-prefixes="xs xj f">

  <xsl:import href="common-order.xsl"/>

  <xsl:param name="hubChannel" as="xs:string?" select="'shopify'"/>
  <xsl:param name="hubSourceFormat" as="xs:string?" select="'shopify-order'"/>
  <xsl:param name="hubPartnerId" as="xs:string?"/>

  <xsl:template match="/object">
    <xsl:variable name="order" select="."/>
    <xsl:variable name="billing" select="(f:obj(., 'billing_address'), f:obj(f:obj(., 'customer'), 'default_address'))[1]"/>
    <xsl:variable name="shipping" select="f:obj(., 'shipping_address')"/>
    <xsl:variable name="lines" select="f:arr(., 'line_items')/object[@xj:type = 'object']"/>
    <xsl:variable name="lineAmounts" as="xs:string*" select="$lines ! f:line-amount(.)"/>

    <TradeTransaction schemaVersion="1.0">
      <Source>
        <xsl:sequence select="f:el('Channel', $hubChannel), f:el('Format', $hubSourceFormat), f:el('PartnerID', $hubPartnerId),
                              f:el('ExternalOrderID', f:v(., 'id')), f:el('ExternalOrderNumber', f:v(., 'name'))"/>
      </Source>
      <xsl:sequence select="f:el('IssueDateTime', f:date-time((f:v(., 'created_at'), f:v(., 'processed_at'))[1]))"/>

      <BuyerTradeParty>
        <xsl:variable name="customer" select="f:obj(., 'customer')"/>
        <xsl:variable name="person" select="(f:v($billing, 'name'), f:join(f:v($billing, 'first_name'), f:v($billing, 'last_name')),
                                             f:join(f:v($customer, 'first_name'), f:v($customer, 'last_name')))[1]"/>
        <xsl:sequence select="f:el('Name', (f:v($billing, 'company'), $person)[1])"/>
        <xsl:apply-templates select="$billing" mode="address"/>
        <xsl:sequence select="f:contact($person, (f:v(., 'email'), f:v(., 'contact_email'), f:v($customer, 'email'))[1],
                                         (f:v($billing, 'phone'), f:v(., 'phone'), f:v($customer, 'phone'))[1])"/>
      </BuyerTradeParty>

      <xsl:for-each select="$shipping">
        <xsl:variable name="person" select="(f:v(., 'name'), f:join(f:v(., 'first_name'), f:v(., 'last_name')))[1]"/>
        <ShipToTradeParty>
          <xsl:sequence select="f:el('Name', (f:v(., 'company'), $person)[1])"/>
          <xsl:apply-templates select="." mode="address"/>
          <xsl:sequence select="f:contact($person, (), f:v(., 'phone'))"/>
        </ShipToTradeParty>
      </xsl:for-each>

      <xsl:sequence select="f:el('InvoiceCurrencyCode', f:v(., 'currency'))"/>

      <xsl:for-each select="$lines">
        <xsl:variable name="grams" select="f:v(., 'grams')"/>
        <xsl:variable name="quantity" select="f:v(., 'quantity')"/>
        <xsl:variable name="i" select="position()"/>
        <LineItem>
          <LineID><xsl:sequence select="position()"/></LineID>
          <xsl:sequence select="f:el('SellerAssignedID', f:v(., 'sku')),
                                f:el('Description', (f:v(., 'title'), f:v(., 'name'))[1]),
                                f:el('HSCode', f:hs-code(f:v(., 'harmonized_system_code'))),
                                f:el('OriginCountryID', f:v(., 'country_code_of_origin'))"/>
          <xsl:sequence select="f:measure('Quantity', $quantity, 'C62'), f:el('UnitPrice', f:v(., 'price')),
                                f:el('LineAmount', $lineAmounts[$i])"/>
          <xsl:if test="$grams castable as xs:decimal and $quantity castable as xs:decimal and xs:decimal($grams) gt 0">
            <xsl:sequence select="f:measure('NetMass', f:kilograms(xs:decimal($grams) * xs:decimal($quantity)), 'KGM')"/>
          </xsl:if>
        </LineItem>
      </xsl:for-each>

      <MonetarySummation>
        <xsl:sequence select="f:el('LineTotalAmount', f:sum($lineAmounts, count($lines))),
                              f:el('ShippingAmount', (f:v(f:obj(f:obj(., 'total_shipping_price_set'), 'shop_money'), 'amount'),
                                                      f:sum(f:arr(., 'shipping_lines')/object ! f:v(., 'price'), count(f:arr(., 'shipping_lines')/object)))[1]),
                              f:el('TaxTotalAmount', f:v(., 'total_tax')),
                              f:el('DiscountAmount', f:v(., 'total_discounts')),
                              f:el('GrandTotalAmount', f:v(., 'total_price'))"/>
      </MonetarySummation>

      <xsl:variable name="grossGrams" select="f:v(., 'total_weight')"/>
      <xsl:sequence select="f:shipment(
          if ($grossGrams castable as xs:decimal and xs:decimal($grossGrams) gt 0) then f:kilograms(xs:decimal($grossGrams)) else (),
          f:arr(., 'shipping_lines')/object ! f:v(., 'title'),
          (f:v($shipping, 'country_code'), f:v($billing, 'country_code'))[1])"/>
      <xsl:sequence select="f:payment(f:shopify-payment-status(f:v(., 'financial_status')))"/>
    </TradeTransaction>
  </xsl:template>

  <xsl:template match="object" mode="address">
    <xsl:variable name="country" select="f:v(., 'country_code')"/>
    <PostalAddress>
      <xsl:sequence select="f:el('LineOne', f:v(., 'address1')), f:el('LineTwo', f:v(., 'address2')),
                            f:el('CityName', f:v(., 'city')), f:el('PostcodeCode', f:v(., 'zip')),
                            f:el('CountrySubDivisionID', f:subdivision($country, f:v(., 'province_code'))),
                            f:el('CountryID', $country)"/>
    </PostalAddress>
  </xsl:template>

  <!-- price * quantity minus the discounts Shopify allocated to this line; '' when the numbers are not decimals -->
  <xsl:function name="f:line-amount" as="xs:string">
    <xsl:param name="line" as="element()"/>
    <xsl:variable name="price" select="f:v($line, 'price')"/>
    <xsl:variable name="quantity" select="f:v($line, 'quantity')"/>
    <xsl:variable name="allocations" select="f:arr($line, 'discount_allocations')/object ! f:v(., 'amount')"/>
    <xsl:variable name="discounts" select="if (exists($allocations)) then $allocations else f:v($line, 'total_discount')"/>
    <xsl:sequence select="if (every $n in ($price, $quantity, $discounts) satisfies $n castable as xs:decimal and exists($price) and exists($quantity))
                          then f:amount(xs:decimal($price) * xs:decimal($quantity) - sum($discounts ! xs:decimal(.)))
                          else ''"/>
  </xsl:function>

  <!-- Shopify financial_status -> canonical payment status (pending|authorized|paid|partially_paid|refunded|voided|unknown) -->
  <xsl:function name="f:shopify-payment-status" as="xs:string?">
    <xsl:param name="status" as="xs:string?"/>
    <xsl:sequence select="if (empty($status)) then ()
        else if ($status = ('pending', 'authorized', 'paid', 'partially_paid', 'refunded', 'voided')) then $status
        (: the money was received; refunds show on the transaction's timeline :)
        else if ($status = 'partially_refunded') then 'paid'
        else if ($status = 'expired') then 'voided'
        else 'unknown'"/>
  </xsl:function>
</xsl:stylesheet>
