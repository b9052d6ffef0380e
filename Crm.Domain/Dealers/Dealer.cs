using Crm.Domain.Customers;

namespace Crm.Domain.Dealers;

/// <summary>A dealer is a customer of kind <see cref="CustomerKind.Dealer"/> (003 §3.2.1); dealer records check that.</summary>
internal static class Dealer
{
    public static RuleCheck RequireDealer(this RuleCheck check, Customer? dealer) => check
        .Require(dealer is not null, "dealerId", "is required")
        .Require(dealer is null || dealer.IsDealer, "dealerId", $"customer {dealer?.Code} is not a dealer")
        .Require(dealer is null || !dealer.IsRetired, "dealerId", $"customer {dealer?.Code} was merged into another");
}
