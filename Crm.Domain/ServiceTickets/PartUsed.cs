namespace Crm.Domain.ServiceTickets;

/// <summary>A part the engineer fitted on a field work order (更换配件), counted for stock and for billing the parts.</summary>
/// <param name="PartCode">The part's catalogue code.</param>
/// <param name="Quantity">How many were fitted.</param>
public sealed record PartUsed(string PartCode, int Quantity)
{
    /// <summary>Most lines one completion may list.</summary>
    public const int MaxLines = 50;

    /// <summary>Checks the parts list, field by field (<c>partsUsed[i].partCode</c>, <c>partsUsed[i].quantity</c>).</summary>
    internal static void Check(IReadOnlyList<PartUsed> parts, RuleCheck check)
    {
        check.Require(parts.Count <= MaxLines, "partsUsed", $"at most {MaxLines} lines");
        for (var i = 0; i < parts.Count; i++)
        {
            check.RequireText(parts[i].PartCode, $"partsUsed[{i}].partCode", 32)
                .Require(parts[i].Quantity is >= 1 and <= 10_000, $"partsUsed[{i}].quantity", "must be from 1 to 10000");
        }
        check.Require(parts.Select(p => p.PartCode?.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() == parts.Count,
            "partsUsed", "lists a part twice; give each part once with its quantity");
    }
}
