using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Mobile;

/// <summary>Paging and search of a list: <c>?page=1&amp;pageSize=20&amp;q=…</c>.</summary>
public sealed class PageRequest
{
    /// <summary>Largest page a client may ask for.</summary>
    public const int MaxPageSize = 100;

    /// <summary>1-based page number.</summary>
    public int? Page { get; set; }
    /// <summary>Items per page, 1 to <see cref="MaxPageSize"/>.</summary>
    public int? PageSize { get; set; }
    /// <summary>Free-text search; each resource says what it searches.</summary>
    public string? Q { get; set; }

    /// <summary>Field-level errors of the paging parameters, or null.</summary>
    public ValidationProblem? Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Page is < 1)
            errors["page"] = ["page starts at 1."];
        if (PageSize is < 1 or > MaxPageSize)
            errors["pageSize"] = [$"pageSize must be between 1 and {MaxPageSize}."];
        if (Q is { Length: > 100 })
            errors["q"] = ["q is at most 100 characters."];
        return errors.Count == 0 ? null : TypedResults.ValidationProblem(errors, title: "The list request is invalid.");
    }

    /// <summary>The search term, trimmed, or null.</summary>
    public string? Search => string.IsNullOrWhiteSpace(Q) ? null : Q.Trim();

    /// <summary>One page of <paramref name="query"/>, already ordered by the caller.</summary>
    public async Task<Page<T>> ToPageAsync<T>(IQueryable<T> query, CancellationToken ct)
    {
        var page = Page ?? 1;
        var size = PageSize ?? 20;
        var total = await query.CountAsync(ct);
        var items = await query.Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new Page<T>(items, page, size, total);
    }

    /// <summary>One page of <paramref name="items"/> already read and ordered (a search over sealed columns filters after reading).</summary>
    public Page<T> ToPage<T>(IReadOnlyList<T> items)
    {
        var page = Page ?? 1;
        var size = PageSize ?? 20;
        return new Page<T>(items.Skip((page - 1) * size).Take(size).ToList(), page, size, items.Count);
    }
}

/// <summary>One page of a list.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);
