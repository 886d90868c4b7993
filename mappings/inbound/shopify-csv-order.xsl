<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shopify order export (Admin > Orders > Export, "CSV for Excel, Numbers, or other spreadsheet programs") -> canonical
  TradeTransaction. The export has one row per line item; the order's own fields stand on its first row (newer
  exports repeat some of them on every row), so an order field is taken from the first of its rows that has it.

  Input: one order as the file channel cuts it from the file (files/FileDrops), the CSV syntax already undone and
  nothing else decided: <CsvOrder file="..."><Row line="N"><Cell name="Column header">value</Cell>...</Row>...</CsvOrder>
  (empty cells left out; a row whose CSV syntax is broken comes as <Row line="N" problem="..."/>). Which column means
  what is decided here, so a shop whose export differs needs a template, not code.

  Rules that need a decision:
  - ExternalOrderID is the export's "Id" (the order id the Admin API and webhooks use) when present, else "Name".
  - LineAmount = Lineitem price * Lineitem quantity - Lineitem discount.
  - "Created at" is written "2024-03-01 10:15:30 +0000": it becomes an ISO 8601 date-time.
  - A row that cannot be part of an order stops the mapping with its line number; the ledger records the order as
    REJECTED with that reason.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:tradehub:xslt-functions"
    xmlns:err="urn:tradehub:mapping-errors"
    xmlns="urn:tradehub:trade-transaction:1"
    exclude-result-prefixes="xs f err">

  <!-- same shop, same vocabulary: the payment status mapping of the webhook template, and the shared functions -->
  <xsl:import href="shopify-order.xsl"/>

  <xsl:param name="hubChannel" as="xs:string?" select="'sftp'"/>
  <xsl:param name="hubSourceFormat" as="xs:string?" select="'shopify-csv-order'"/>
  <xsl:param name="hubPartnerId" as="xs:string?"/>

  <!-- a cell of one row, trimmed; () when empty or absent -->
  <xsl:function name="f:cell" as="xs:string?">
    <xsl:param name="row" as="element(Row)?"/>
    <xsl:param name="column" as="xs:string"/>
    <xsl:sequence select="replace(string($row/Cell[@name = $column][1]), '^\s+|\s+$', '')[. ne '']"/>
  </xsl:function>

  <xsl:template match="/CsvOrder">
    <xsl:variable name="rows" select="Row"/>
    <xsl:for-each select="$rows[@problem][1]">
      <xsl:sequence select="error(QName('urn:tradehub:mapping-errors', 'err:CSV001'),
                                  'line ' || @line || ' cannot be read: ' || @problem)"/>
    </xsl:for-each>
    <!-- an order field: the first of the order's rows that has it -->
    <xsl:variable name="o" as="function(xs:string) as xs:string?" select="function($c) { ($rows ! f:cell(., $c))[1] }"/>
    <xsl:if test="empty($o('Name'))">
      <xsl:sequence select="error(QName('urn:tradehub:mapping-errors', 'err:CSV002'),
                                  'line ' || $rows[1]/@line || ' has no order number (column Name)')"/>
    </xsl:if>
    <xsl:variable name="items" select="$rows[exists((f:cell(., 'Lineitem name'), f:cell(., 'Lineitem sku')))]"/>
    <xsl:for-each select="$items[not(f:cell(., 'Lineitem quantity') castable as xs:decimal)
                                 or not(f:cell(., 'Lineitem price') castable as xs:decimal)][1]">
      <xsl:sequence select="error(QName('urn:tradehub:mapping-errors', 'err:CSV003'),
                                  'line ' || @line || ': Lineitem quantity ''' || f:cell(., 'Lineitem quantity')
                                  || ''' and Lineitem price ''' || f:cell(., 'Lineitem price') || ''' must both be numbers')"/>
    </xsl:for-each>
    <xsl:variable name="lineAmounts" as="xs:string*" select="$items ! f:csv-line-amount(.)"/>

    <TradeTransaction schemaVersion="1.0">
      <Source>
        <xsl:sequence select="f:el('Channel', $hubChannel), f:el('Format', $hubSourceFormat), f:el('PartnerID', $hubPartnerId),
                              f:el('ExternalOrderID', ($o('Id'), $o('Name'))[1]), f:el('ExternalOrderNumber', $o('Name'))"/>
      </Source>
      <xsl:sequence select="f:el('IssueDateTime', f:date-time(replace(($o('Created at'), $o('Paid at'))[1],
                                 '^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ?([+-]\d{2})(\d{2})$', '$1T$2$3:$4')))"/>

      <xsl:variable name="billingPerson" select="$o('Billing Name')"/>
      <BuyerTradeParty>
        <xsl:sequence select="f:el('Name', ($o('Billing Company'), $billingPerson, $o('Shipping Name'))[1])"/>
        <xsl:sequence select="f:csv-address($o, 'Billing')"/>
        <xsl:sequence select="f:contact($billingPerson, $o('Email'), ($o('Billing Phone'), $o('Phone'))[1])"/>
      </BuyerTradeParty>

      <xsl:if test="exists(($o('Shipping Name'), $o('Shipping Country')))">
        <ShipToTradeParty>
          <xsl:sequence select="f:el('Name', ($o('Shipping Company'), $o('Shipping Name'))[1]),
                                f:csv-address($o, 'Shipping'),
                                f:contact($o('Shipping Name'), (), $o('Shipping Phone'))"/>
        </ShipToTradeParty>
      </xsl:if>

      <xsl:sequence select="f:el('InvoiceCurrencyCode', $o('Currency'))"/>

      <xsl:for-each select="$items">
        <xsl:variable name="i" select="position()"/>
        <LineItem>
          <LineID><xsl:sequence select="$i"/></LineID>
          <xsl:sequence select="f:el('SellerAssignedID', f:cell(., 'Lineitem sku')),
                                f:el('Description', (f:cell(., 'Lineitem name'), f:cell(., 'Lineitem sku'))[1]),
                                f:measure('Quantity', f:cell(., 'Lineitem quantity'), 'C62'),
                                f:el('UnitPrice', f:cell(., 'Lineitem price')),
                                f:el('LineAmount', $lineAmounts[$i])"/>
        </LineItem>
      </xsl:for-each>

      <MonetarySummation>
        <xsl:sequence select="f:el('LineTotalAmount', f:sum($lineAmounts, count($items))),
                              f:el('ShippingAmount', $o('Shipping')),
                              f:el('TaxTotalAmount', $o('Taxes')),
                              f:el('DiscountAmount', $o('Discount Amount')),
                              f:el('GrandTotalAmount', $o('Total'))"/>
      </MonetarySummation>
      <xsl:sequence select="f:shipment((), $o('Shipping Method'), ($o('Shipping Country'), $o('Billing Country'))[1])"/>
      <xsl:sequence select="f:payment(f:shopify-payment-status($o('Financial Status')))"/>
    </TradeTransaction>
  </xsl:template>

  <xsl:function name="f:csv-address" as="element()?">
    <xsl:param name="o" as="function(xs:string) as xs:string?"/>
    <xsl:param name="prefix" as="xs:string"/>
    <xsl:variable name="country" select="$o($prefix || ' Country')"/>
    <xsl:if test="exists($country)">
      <PostalAddress>
        <xsl:sequence select="f:el('LineOne', ($o($prefix || ' Address1'), $o($prefix || ' Street'))[1]),
                              f:el('LineTwo', $o($prefix || ' Address2')),
                              f:el('CityName', $o($prefix || ' City')),
                              f:el('PostcodeCode', replace(($o($prefix || ' Zip'), '')[1], '^''', '')[. ne '']),
                              f:el('CountrySubDivisionID', f:subdivision($country, $o($prefix || ' Province'))),
                              f:el('CountryID', $country)"/>
      </PostalAddress>
    </xsl:if>
  </xsl:function>

  <xsl:function name="f:csv-line-amount" as="xs:string">
    <xsl:param name="row" as="element(Row)"/>
    <xsl:variable name="discount" select="(f:cell($row, 'Lineitem discount')[. castable as xs:decimal], '0')[1]"/>
    <xsl:sequence select="f:amount(xs:decimal(f:cell($row, 'Lineitem price')) * xs:decimal(f:cell($row, 'Lineitem quantity'))
                                   - xs:decimal($discount))"/>
  </xsl:function>
</xsl:stylesheet>
