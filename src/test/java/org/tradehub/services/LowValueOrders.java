package org.tradehub.services;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Shopify order (the 2024-07 sample) turned into a small order to Germany: one line, EUR, within EUR 150. */
final class LowValueOrders {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LowValueOrders() {
    }

    static byte[] toGermany(String orderId, String price) throws Exception {
        ObjectNode order = (ObjectNode) JSON.readTree(Files.readAllBytes(
                Path.of("src/test/resources/webhooks/shopify/orders-create-2024-07.json")));
        order.put("id", Long.parseLong(orderId));
        order.put("currency", "EUR");
        for (String field : new String[] {"total_price", "subtotal_price", "total_line_items_price",
                "current_total_price", "current_subtotal_price"}) {
            order.put(field, price);
        }
        order.put("total_discounts", "0.00");
        order.put("current_total_discounts", "0.00");
        order.putArray("discount_applications");
        order.putArray("shipping_lines");
        var line = (ObjectNode) order.get("line_items").get(0);
        line.put("price", price);
        line.put("total_discount", "0.00");
        line.putArray("discount_allocations");
        order.putArray("line_items").add(line);
        for (String address : new String[] {"shipping_address", "billing_address"}) {
            ObjectNode a = (ObjectNode) order.get(address);
            a.put("country_code", "DE");
            a.put("country", "Germany");
            a.put("city", "Berlin");
            a.put("zip", "10115");
            a.putNull("province_code");
            a.putNull("province");
        }
        return JSON.writeValueAsBytes(order);
    }
}
