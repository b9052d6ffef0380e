using Hub.Infrastructure.Access;
using Microsoft.AspNetCore.Authorization;

namespace Hub.Adapters.Ops;

/// <summary>
/// Message bodies as the operations view shows them (003 §4.4.2, the same field rule on every channel): an operations admin
/// (<c>ops.admin</c>) sees them whole; a reader or operator sees every field of <see cref="SensitiveFields"/> masked (bank
/// details, credit grades, price floors, contract terms carried by a command), and a body that is not JSON not at all. Only the
/// answer is masked: the audit and failed-message stores keep the bodies as they are.
/// </summary>
public static class OpsBodies
{
    /// <summary>Whether the signed-in operations user sees bodies whole.</summary>
    public static async Task<bool> SeesWholeAsync(HttpContext http) =>
        (await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, http, OpsRoles.CanAdminister)).Succeeded;

    /// <summary><paramref name="body"/> for a viewer who <paramref name="seesWhole"/> or not (null for a non-JSON body they may not see).</summary>
    public static string? For(bool seesWhole, string? body) => seesWhole || body is null ? body : SensitiveFields.Masked(body);
}
