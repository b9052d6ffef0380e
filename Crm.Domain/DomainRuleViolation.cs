namespace Crm.Domain;

/// <summary>
/// A business rule refused an input. Carries one message per offending field so that every
/// channel can report them precisely (problem details over REST, a SOAP Fault detail over SOAP).
/// </summary>
public sealed class DomainRuleViolation(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The request breaks a business rule: " + string.Join("; ", errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))))
{
    /// <summary>Messages per field name (camelCase, as the field appears on the wire).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>A violation of one field.</summary>
    public static DomainRuleViolation Of(string field, string message) =>
        new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Collects rule violations field by field, then throws them together.</summary>
public sealed class RuleCheck
{
    private readonly Dictionary<string, List<string>> _errors = [];

    /// <summary>Records <paramref name="message"/> against <paramref name="field"/> unless <paramref name="holds"/>.</summary>
    public RuleCheck Require(bool holds, string field, string message)
    {
        if (!holds)
        {
            if (!_errors.TryGetValue(field, out var list))
                _errors[field] = list = [];
            list.Add(message);
        }
        return this;
    }

    /// <summary>Requires <paramref name="value"/> to be present and at most <paramref name="maxLength"/> characters once trimmed.</summary>
    public RuleCheck RequireText(string? value, string field, int maxLength) =>
        Require(!string.IsNullOrWhiteSpace(value) && value.Trim().Length <= maxLength, field, $"is required, at most {maxLength} characters");

    /// <summary>Allows <paramref name="value"/> to be absent, but when present at most <paramref name="maxLength"/> characters once trimmed.</summary>
    public RuleCheck OptionalText(string? value, string field, int maxLength) =>
        Require(value is null || value.Trim().Length <= maxLength, field, $"must be at most {maxLength} characters");

    /// <summary>Throws a <see cref="DomainRuleViolation"/> if any rule failed.</summary>
    public void ThrowIfBroken()
    {
        if (_errors.Count > 0)
            throw new DomainRuleViolation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}
