namespace Crm.Domain.Customers;

/// <summary>
/// What kind of party a customer is (003 §3.2.1: dealers are customers told apart by kind;
/// 001 §2.3: retailers, end consumers and group consumers).
/// </summary>
public enum CustomerKind
{
    /// <summary>Buys from us directly.</summary>
    Direct,
    /// <summary>A dealer (经销商) selling our products on.</summary>
    Dealer,
    /// <summary>A retailer (零售户).</summary>
    Retailer,
    /// <summary>A person who uses the product (最终消费者).</summary>
    EndConsumer,
    /// <summary>An organisation that buys for its own use (集团消费者).</summary>
    GroupConsumer,
}

/// <summary>What a customer is worth to us, as sales management grades it (A highest).</summary>
public enum ValueGrade
{
    /// <summary>Not graded yet.</summary>
    Ungraded,
    /// <summary>Key customer: follow-ups and priority service.</summary>
    A,
    /// <summary>Important customer.</summary>
    B,
    /// <summary>Ordinary customer.</summary>
    C,
    /// <summary>Occasional or low-value customer.</summary>
    D,
}

/// <summary>How far a customer may be trusted to pay, as finance grades it (AAA highest).</summary>
public enum CreditGrade
{
    /// <summary>Not rated yet.</summary>
    Unrated,
    /// <summary>Excellent.</summary>
    AAA,
    /// <summary>Very good.</summary>
    AA,
    /// <summary>Good.</summary>
    A,
    /// <summary>Acceptable with limits.</summary>
    B,
    /// <summary>Cash in advance only.</summary>
    C,
}

/// <summary>A free attribute of a customer (003 §3.1.1 属性), such as fleet size or preferred dealer.</summary>
/// <param name="Key">Name of the attribute; unique per customer regardless of case.</param>
/// <param name="Value">Its value.</param>
public sealed record CustomerAttribute(string Key, string Value);
