namespace Crm.Domain.Products;

/// <summary>Whether a product can still be sold.</summary>
public enum ProductState
{
    /// <summary>On sale.</summary>
    Active,
    /// <summary>No longer sold; existing instances are still serviced.</summary>
    Discontinued,
}

/// <summary>
/// An entry of the product catalogue (003 §3.5, 002 §5.4 产品管理): a product or a component that
/// quotes combine. Its code is what orders, quotes and tickets refer to.
/// </summary>
public sealed class Product
{
    private Product() { }

    /// <summary>Identity chosen by the caller.</summary>
    public Guid Id { get; private set; }

    /// <summary>Catalogue code; never changes.</summary>
    public string Code { get; private set; } = "";

    /// <summary>Name.</summary>
    public string Name { get; private set; } = "";

    /// <summary>Specification (规格).</summary>
    public string? Spec { get; private set; }

    /// <summary>Model (型号).</summary>
    public string? Model { get; private set; }

    /// <summary>Whether it can be sold.</summary>
    public ProductState State { get; private set; }

    /// <summary>When it was discontinued.</summary>
    public DateTimeOffset? DiscontinuedAt { get; private set; }

    /// <summary>Whether it can be sold.</summary>
    public bool IsActive => State == ProductState.Active;

    /// <summary>Adds a product to the catalogue, or throws <see cref="DomainRuleViolation"/> listing every broken rule.</summary>
    public static Product Add(Guid id, string code, string name, string? spec = null, string? model = null)
    {
        Check(new RuleCheck()
                .Require(id != Guid.Empty, "productId", "must not be empty")
                .Require(!string.IsNullOrWhiteSpace(code) && code.Trim().Length <= 32 && code.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'),
                    "code", "is required: at most 32 letters, digits, '-', '_' or '.'"), name, spec, model)
            .ThrowIfBroken();
        var product = new Product { Id = id, Code = code.Trim(), State = ProductState.Active };
        product.Apply(name, spec, model);
        return product;
    }

    /// <summary>Changes name, specification and model (修改产品规格).</summary>
    public void Revise(string name, string? spec, string? model)
    {
        Check(new RuleCheck(), name, spec, model).ThrowIfBroken();
        Apply(name, spec, model);
    }

    /// <summary>Takes the product off sale.</summary>
    public void Discontinue(DateTimeOffset at)
    {
        if (State == ProductState.Discontinued)
            return;
        State = ProductState.Discontinued;
        DiscontinuedAt = at;
    }

    /// <summary>Puts a discontinued product back on sale.</summary>
    public void Reinstate()
    {
        State = ProductState.Active;
        DiscontinuedAt = null;
    }

    private static RuleCheck Check(RuleCheck check, string name, string? spec, string? model) => check
        .RequireText(name, "name", 200)
        .OptionalText(spec, "spec", 200)
        .OptionalText(model, "model", 100);

    private void Apply(string name, string? spec, string? model)
    {
        Name = name.Trim();
        Spec = string.IsNullOrWhiteSpace(spec) ? null : spec.Trim();
        Model = string.IsNullOrWhiteSpace(model) ? null : model.Trim();
    }
}
