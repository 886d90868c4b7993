package org.tradehub.files;

import java.util.StringJoiner;

/** Builds Shopify order exports for tests: one row per line item, order fields on the first row of each order. */
final class ShopifyCsv {

    static final String HEADER = "Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,"
            + "Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,"
            + "Lineitem discount,Billing Name,Billing Address1,Billing City,Billing Zip,Billing Province,"
            + "Billing Country,Shipping Name,Shipping Address1,Shipping City,Shipping Zip,Shipping Province,"
            + "Shipping Country,Id";

    private final StringBuilder csv = new StringBuilder(HEADER).append("\r\n");
    private int line = 1;

    /** An order of two line items (two rows); returns the line of its first row. */
    int order(long number, String currency) {
        int first = line + 1;
        row("#" + number, "buyer" + number + "@example.com", "paid", "2024-03-01 10:15:30 +0000", currency, "249.98",
                "10.00", "0.00", "259.98", "0.00", "Standard", "2024-03-01 10:15:30 +0000", "1",
                "Aviator sunglasses, \"classic\"", "89.99", "SKU2006-001", "0", "Steve Buyer", "123 Main Street",
                "Louisville", "40003", "KY", "US", "Steve Buyer", "123 Main Street", "Louisville", "40003", "KY", "US",
                String.valueOf(5_000_000_000L + number));
        row("#" + number, "", "", "", "", "", "", "", "", "", "", "", "1", "Mid-century lounger", "159.99",
                "SKU2006-020", "0", "", "", "", "", "", "", "", "", "", "", "", "", "");
        return first;
    }

    /** A raw line as is (for broken rows). */
    int raw(String text) {
        csv.append(text).append("\r\n");
        line += (int) text.chars().filter(c -> c == '\n').count() + 1;
        return line;
    }

    private void row(String... fields) {
        StringJoiner j = new StringJoiner(",");
        for (String f : fields) {
            j.add(f.contains(",") || f.contains("\"") || f.contains("\n") ? "\"" + f.replace("\"", "\"\"") + "\"" : f);
        }
        csv.append(j).append("\r\n");
        line++;
    }

    byte[] bytes() {
        return csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
