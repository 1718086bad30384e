package org.osprey.example.embedding;

import java.io.PrintStream;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Embeds Osprey: evaluates a small pricing module, calls its functions with Java values, reads the records
 * and variants it returns, passes a Java function in, and shows how an error reaches Java.
 */
public final class Main {
    private static final String PRICING = """
                    type Item = { name: string, price: float, quantity: int }
                    type Discount = Percent { rate: float } | Fixed { amount: float } | NoDiscount

                    fn item(name: string, price: float, quantity: int) -> Item = Item { name: name, price: price, quantity: quantity }
                    fn subtotal(items: List<Item>) -> float = fold(items, 0.0, fn(acc, i) => acc + i.price * toFloat(i.quantity))
                    fn discountFor(total: float) -> Discount = total > 100.0 ? Percent { rate: 0.1 } : total > 20.0 ? Fixed { amount: 5.0 } : NoDiscount
                    fn applyAll(prices: List<float>, rule: (float) -> float) -> List<float> = prices |> map(rule)
                    fn leftover(total: int, perBox: int) -> int = total % perBox
                    """;

    private Main() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the example, writing what it finds to {@code out}. */
    public static void run(PrintStream out) {
        try (Context context = Context.newBuilder("osprey").out(out).build()) {
            context.eval(Source.newBuilder("osprey", PRICING, "pricing.osp").buildLiteral());
            Value osprey = context.getBindings("osprey");

            // Call Osprey functions with Java arguments; records come back as objects with members.
            Value tea = osprey.getMember("item").execute("tea", 4.5, 3);
            Value cups = osprey.getMember("item").execute("cups", 12.0, 2);
            out.println("item: " + tea.getMember("name").asString() + " x" + tea.getMember("quantity").asInt()
                            + " at " + tea.getMember("price").asDouble());
            out.println("as Osprey shows it: " + tea);

            double subtotal = osprey.getMember("subtotal").execute(ProxyArray.fromArray(tea, cups)).asDouble();
            out.println("subtotal: " + subtotal);

            // A union value: its meta object is the variant.
            Value discount = osprey.getMember("discountFor").execute(subtotal);
            out.println("discount: " + discount.getMetaObject().getMetaQualifiedName() + " " + discount.getMember("amount").asDouble());

            // A Java function where Osprey expects a function.
            ProxyExecutable withTax = a -> Math.round(a[0].asDouble() * 120.0) / 100.0;
            Value taxed = osprey.getMember("applyAll").execute(ProxyArray.fromArray(4.5, 12.0), withTax);
            out.println("with tax: " + taxed.getArrayElement(0).asDouble() + ", " + taxed.getArrayElement(1).asDouble());

            // Errors: a wrong argument is refused before Osprey runs; a fault in Osprey is a PolyglotException.
            try {
                osprey.getMember("item").execute("tea", "cheap", 1);
            } catch (IllegalArgumentException e) {
                String m = e.getMessage();
                out.println("refused: " + m.substring(m.indexOf("item: argument"), m.indexOf(" Provided arguments")));
            }
            try {
                osprey.getMember("leftover").execute(10, 0);
            } catch (PolyglotException e) {
                out.println("failed: " + e.getMessage() + " at line " + e.getSourceLocation().getStartLine());
            }
            try {
                context.eval("osprey", "fn broken(x: int) -> string = x");
            } catch (PolyglotException e) {
                out.println("rejected (syntax error: " + e.isSyntaxError() + "): " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }
}
