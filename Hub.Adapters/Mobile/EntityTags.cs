namespace Hub.Adapters.Mobile;

/// <summary>
/// ETags from row versions and the <c>If-Match</c> rule of every update: an update must name the
/// version it was made from, so the second of two phones editing the same thing gets 412 instead
/// of silently overwriting the first.
/// </summary>
public static class EntityTags
{
    /// <summary>The strong ETag of version <paramref name="version"/>.</summary>
    public static string Of(long version) => $"\"{version}\"";

    /// <summary>Sets the <c>ETag</c> header of the response.</summary>
    public static void Set(HttpContext http, long version) => http.Response.Headers.ETag = Of(version);

    /// <summary>
    /// Null when <c>If-Match</c> names <paramref name="currentVersion"/> (or is <c>*</c>); otherwise the
    /// problem to answer: 428 when the header is missing, 412 when it names another version.
    /// </summary>
    public static IResult? CheckIfMatch(HttpContext http, long currentVersion)
    {
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
            return Results.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required.",
                detail: "Send the ETag of the version you edited in If-Match, so a concurrent edit is not overwritten.");
        var current = Of(currentVersion);
        var matches = header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == "*" || tag == current);
        if (matches)
            return null;
        http.Response.Headers.ETag = current;
        return Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The resource was changed by someone else.",
            detail: $"It is now at version {current}; fetch it again, merge, and retry with the new ETag.");
    }
}
