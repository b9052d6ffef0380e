using Hub.Infrastructure.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hub.Adapters.Identity;

/// <summary>
/// The list half of the field rule (<see cref="SensitiveFields"/>): filtering or sorting by a field one may not see would tell its
/// value (which customers come back for <c>?creditGrade=C</c>, in which order), so such a request is refused with 403 before any read.
/// </summary>
public static class SensitiveQuery
{
    /// <summary>The query parameter that names a list's sort field.</summary>
    public const string SortParameter = "sort";

    /// <summary>
    /// 403 when <paramref name="query"/> names a field of <paramref name="entity"/> that <paramref name="caller"/> may not see, as a
    /// parameter (a filter) or as the value of <c>sort</c> (with or without a leading <c>-</c>); otherwise null.
    /// </summary>
    public static ProblemHttpResult? Refusal(MobileCaller caller, string entity, IQueryCollection query)
    {
        var named = query.Keys.Concat(query[SortParameter].Select(s => s?.TrimStart('-') ?? ""));
        var refused = named.Select(n => SensitiveFields.Find(entity, n)).FirstOrDefault(f => f is not null && !caller.MaySee(f));
        return refused is null ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"{refused.JsonName} is not visible to your roles.",
                detail: $"Filtering or sorting by {refused.JsonName} needs {refused.Permission}.");
    }
}
