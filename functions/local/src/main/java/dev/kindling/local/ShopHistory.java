package dev.kindling.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A shop's past as its own systems would export it, generated from a seed: Shopify's customer CSV export, its order CSV
 * export (a row per line item, with Shopify's column headers and time format) and a Segment-spec JSONL of the visits its
 * tracking recorded. The demo shop fills its past from these through the importer, and the import benchmark reads them.
 *
 * @param customers       how many customers
 * @param subscribedShare of them, those who accepted email marketing
 * @param buyerShare      of them, those with 1-4 orders in the past year
 * @param visitsPerDay    visits by known customers a day over the last {@code days}
 * @param days            how far back the visits go
 */
public record ShopHistory(int customers, double subscribedShare, double buyerShare, int visitsPerDay, int days, long seed) {
    private static final DateTimeFormatter SHOPIFY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    static final String CUSTOMER_HEADER = "Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,"
            + "Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,"
            + "Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags";
    static final String ORDER_HEADER = "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,"
            + "Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
            + "Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,"
            + "Billing Country,Cancelled at,Refunded Amount,Id";
    private static final String[] COUNTRIES = {"US", "US", "US", "GB", "DE", "FR", "NZ", "AU", "CA", "NL"};

    /** The three files, generated together so the visits are by the customers and the orders theirs. */
    public record Files(byte[] customersCsv, int customerRows, byte[] ordersCsv, int orders, byte[] visitsJsonl, int visitEvents) {}

    /** The files of a past that ends at {@code end}. */
    public Files generate(Instant end) {
        Random random = new Random(seed);
        StringBuilder customersCsv = new StringBuilder(CUSTOMER_HEADER).append("\r\n");
        StringBuilder ordersCsv = new StringBuilder(ORDER_HEADER).append("\r\n");
        StringBuilder visits = new StringBuilder();
        List<String> emails = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        int orders = 0, events = 0;
        long orderId = 6_000_000;
        for (int i = 0; i < customers; i++) {
            String first = ShopSimulation.FIRST[i % ShopSimulation.FIRST.length];
            String last = ShopSimulation.LAST[(i / ShopSimulation.FIRST.length) % ShopSimulation.LAST.length];
            String email = (first + "." + last + "." + i).toLowerCase(Locale.ROOT).replace("í", "i") + "@example.com";
            long id = 900_000L + i;
            emails.add(email);
            ids.add(id);
            boolean subscribed = random.nextDouble() < subscribedShare;
            int count = random.nextDouble() < buyerShare ? 1 + random.nextInt(4) : 0;
            BigDecimal spent = BigDecimal.ZERO;
            for (int k = 0; k < count; k++) {
                Instant placed = end.minus(Duration.ofHours(24 + random.nextInt(365 * 24)));
                spent = spent.add(order(ordersCsv, ++orderId, email, placed, random));
                orders++;
            }
            customersCsv.append('\'').append(id).append(',').append(first).append(',').append(last).append(',').append(email).append(',')
                    .append(subscribed ? "yes" : "no").append(",,,,,,").append(COUNTRIES[i % COUNTRIES.length]).append(",,,,no,")
                    .append(spent.toPlainString()).append(',').append(count).append(",,no,").append("\r\n");
        }
        // the visits of the last days: products viewed, some carted, some checked out, a few bought
        for (int day = days; day > 0; day--) {
            for (int v = 0; v < visitsPerDay; v++) {
                int who = random.nextInt(customers);
                Instant at = end.minus(Duration.ofDays(day)).plus(Duration.ofMinutes(random.nextInt(24 * 60)));
                ShopSimulation.Product product = ShopSimulation.PRODUCTS.get(random.nextInt(ShopSimulation.PRODUCTS.size()));
                String user = Long.toString(ids.get(who));
                String visit = "visit-" + day + "-" + v;
                events += track(visits, visit + "-view", user, "Product Viewed", product, at);
                if (random.nextDouble() < 0.35) {
                    events += track(visits, visit + "-cart", user, "Product Added", product, at.plusSeconds(60));
                    if (random.nextDouble() < 0.5) {
                        events += track(visits, visit + "-checkout", user, "Checkout Started", product, at.plusSeconds(120));
                        if (random.nextDouble() < 0.6) {
                            order(ordersCsv, ++orderId, emails.get(who), at.plusSeconds(300), random);
                            orders++;
                        }
                    }
                }
            }
        }
        return new Files(customersCsv.toString().getBytes(StandardCharsets.UTF_8), customers, ordersCsv.toString().getBytes(StandardCharsets.UTF_8),
                orders, visits.toString().getBytes(StandardCharsets.UTF_8), events);
    }

    /** An order's rows as Shopify exports it: the order's fields on the first, a row per line item. */
    private static BigDecimal order(StringBuilder csv, long id, String email, Instant placed, Random random) {
        int items = 1 + random.nextInt(3);
        List<ShopSimulation.Product> lines = new ArrayList<>();
        BigDecimal subtotal = BigDecimal.ZERO;
        for (int i = 0; i < items; i++) {
            ShopSimulation.Product p = ShopSimulation.PRODUCTS.get(random.nextInt(ShopSimulation.PRODUCTS.size()));
            lines.add(p);
            subtotal = subtotal.add(new BigDecimal(p.price()));
        }
        BigDecimal total = subtotal.add(new BigDecimal("5.00"));
        String time = SHOPIFY_TIME.format(placed);
        for (int i = 0; i < lines.size(); i++) {
            ShopSimulation.Product p = lines.get(i);
            csv.append('#').append(id).append(',');
            if (i == 0) {
                csv.append(email).append(",paid,").append(time).append(",fulfilled,").append(time).append(",no,USD,").append(subtotal.toPlainString())
                        .append(",5.00,0.00,").append(total.toPlainString()).append(",,0.00,Standard,").append(time);
            } else {
                csv.append(",,,,,,,,,,,,,,");
            }
            csv.append(",1,\"").append(p.name()).append("\",").append(p.price()).append(",,").append(p.id()).append(",true,true,fulfilled,");
            csv.append(i == 0 ? ",US,,0.00,'" + id : ",,,,").append("\r\n");
        }
        return total;
    }

    private static int track(StringBuilder jsonl, String messageId, String userId, String event, ShopSimulation.Product p, Instant at) {
        ObjectNode call = Json.object().put("type", "track").put("event", event).put("userId", userId).put("messageId", messageId)
                .put("timestamp", at.toString());
        call.putObject("properties").put("product_id", p.id()).put("name", p.name()).put("category", p.category()).put("price", p.price())
                .put("url", "https://shop.example/products/" + p.id());
        jsonl.append(Json.write(call)).append('\n');
        return 1;
    }
}
