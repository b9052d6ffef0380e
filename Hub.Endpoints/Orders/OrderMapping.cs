using Crm.Contracts.Orders;
using Crm.Domain.Orders;

namespace Hub.Endpoints.Orders;

/// <summary>Between the wire's <see cref="OrderLine"/> and the domain's <see cref="OrderItem"/>.</summary>
internal static class OrderMapping
{
    public static OrderItem ToItem(OrderLine line) =>
        new(line.ProductCode, line.SpecModel, line.Quantity, line.UnitPrice, line.Discount);

    public static OrderLine ToLine(OrderItem item) =>
        new(item.ProductCode, item.SpecModel, item.Quantity, item.UnitPrice, item.Discount);
}
