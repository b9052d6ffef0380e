using Crm.Domain;
using Crm.Domain.Orders;

namespace Crm.Domain.Tests.Orders;

public class OrderRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.FromHours(8));

    private static Order Place(params OrderItem[] items) =>
        Order.Place(Guid.Parse("0b9f3c5e-1d2a-4c7b-9e8f-123456789abc"), "C1001", "sales-li", items, "li@example.com", "mobile", Now);

    [Fact]
    public void Total_is_the_sum_of_discounted_lines_rounded_to_cents()
    {
        var order = Place(new OrderItem("BB-100M", "FTTH", 2, 99.99m, 0.1m), new OrderItem("IPTV", null, 1, 30m, 0m));
        Assert.Equal(179.98m + 30m, order.TotalAmount);
    }

    [Fact]
    public void Order_number_follows_from_the_id_alone()
    {
        var order = Place(new OrderItem("BB-100M", null, 1, 10m, 0m));
        Assert.Equal("SO0B9F3C5E1D2A", order.Number);
        Assert.Equal(order.Number, Order.NumberFor(order.Id));
    }

    [Fact]
    public void Every_broken_rule_is_reported_by_field()
    {
        var ex = Assert.Throws<DomainRuleViolation>(() => Order.Place(Guid.Empty, "", "", [new OrderItem("", null, 0, -1m, 1m)],
            "not-an-email", "mobile", Now));
        string[] expected = ["orderId", "customerCode", "ownerUserId", "contactEmail", "lines[0].productCode", "lines[0].quantity",
            "lines[0].unitPrice", "lines[0].discount"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), ex.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_order_without_lines_is_refused()
    {
        var ex = Assert.Throws<DomainRuleViolation>(() => Place());
        Assert.Contains("lines", ex.Errors.Keys);
    }

    [Fact]
    public void An_order_with_too_many_lines_is_refused()
    {
        var items = Enumerable.Range(0, Order.MaxItems + 1).Select(i => new OrderItem($"P{i}", null, 1, 1m, 0m)).ToArray();
        var ex = Assert.Throws<DomainRuleViolation>(() => Place(items));
        Assert.Contains("lines", ex.Errors.Keys);
    }
}
