using Crm.Contracts.Customers;
using Crm.Domain.Customers;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.CrmStore;
using Hub.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.Customers;

/// <summary>
/// Contacts of customers (003 §3.1.3): read and update with <c>If-Match</c>, and the contacts whose birthday
/// falls in a month, for customer care. Adding one is <c>POST /api/v1/customers/{id}/contacts</c>.
/// </summary>
public static class ContactsApi
{
    /// <summary>Maps <c>/api/v1/contacts</c> and its alias <c>/api/contacts</c>.</summary>
    public static void MapContactsApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("contacts", "Contacts", g =>
    {
        g.MapGet("/birthdays", Birthdays).Produces<Page<ContactView>>().ProducesValidationProblem();
        g.MapGet("/{contactId:guid}", Get).Produces<ContactView>().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPut("/{contactId:guid}", Update).Produces<ContactView>().Rejections();
    });

    /// <summary><c>POST /api/v1/customers/{customerId}/contacts</c>: 201 with the contact and its ETag.</summary>
    internal static async Task<IResult> AddContact(Guid customerId, ContactRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IRequestClient<AddContact> contacts, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var visible = CustomerQueries.Visible(db, caller);
        if (!await CustomerQueries.Visible(db, caller, StaffPermissions.CustomersWrite).AnyAsync(c => c.Id == customerId, ct))
            return CustomersApi.NotFound(customerId);
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? NewId.NextGuid().ToString() : idempotencyKey;
        var contactId = request.ContactId ?? IdempotencyFilter.IdFor("crm-contact", key);
        var (_, problem) = await CustomerCommands.SendAsync(contacts, new AddContact(IdempotencyFilter.IdFor("crm-contact-command", key), contactId,
            customerId, request.ToData(), request.ReportsToId, caller.UserId), ct);
        return problem ?? await Answer(db, visible, contactId, http, ct, created: true);
    }

    private static async Task<IResult> Get(Guid contactId, HubDbContext db, HttpContext http, CancellationToken ct) =>
        await Answer(db, CustomerQueries.Visible(db, MobileCaller.From(http.User)), contactId, http, ct);

    private static async Task<IResult> Update(Guid contactId, ContactRequest request, IRequestClient<UpdateContact> contacts, HubDbContext db,
        HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var visible = CustomerQueries.Visible(db, caller);
        if (await CustomerQueries.FindContactAsync(db, CustomerQueries.Visible(db, caller, StaffPermissions.CustomersWrite), contactId, ct) is not { } found)
            return NotFound(contactId);
        if (EntityTags.CheckIfMatch(http, found.Version) is { } refused)
            return refused;
        var (_, problem) = await CustomerCommands.SendAsync(contacts, new UpdateContact(NewId.NextGuid(), contactId, request.ToData(), request.ReportsToId,
            found.Version, caller.UserId), ct);
        return problem ?? await Answer(db, visible, contactId, http, ct);
    }

    /// <summary>
    /// Contacts of active customers in scope whose birthday falls in <c>?month=</c> (1–12; default: this month),
    /// by day then name (003 §3.8 本月过生日的联系人的提醒), paged.
    /// </summary>
    private static async Task<IResult> Birthdays(int? month, [AsParameters] PageRequest paging, HubDbContext db, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        if (paging.Validate() is { } invalid)
            return invalid;
        var m = month ?? clock.GetLocalNow().Month;
        if (m is < 1 or > 12)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["month must be from 1 to 12."] },
                title: "The birthday request is invalid.");
        var visible = CustomerQueries.Visible(db, MobileCaller.From(http.User)).Where(c => c.MergedIntoId == null);
        var rows = await db.Set<Contact>().AsNoTracking()
            .Where(c => c.Birthday != null && c.Birthday.Value.Month == m && visible.Any(v => v.Id == c.CustomerId))
            .Select(c => new Versioned<Contact>(c, EF.Property<long>(c, CrmStoreModels.Version)))
            .ToListAsync(ct);
        var versions = rows.ToDictionary(r => r.Entity.Id, r => r.Version);
        // The order is the domain's (day, name, id); one month of one scope's contacts is small enough to sort here.
        var ordered = Contact.BirthdaysIn(rows.Select(r => r.Entity), m);
        var size = paging.PageSize ?? 20;
        var number = paging.Page ?? 1;
        var items = ordered.Skip((number - 1) * size).Take(size).Select(c => ContactView.Of(c, versions[c.Id])).ToArray();
        return TypedResults.Ok(new Page<ContactView>(items, number, size, ordered.Count));
    }

    private static async Task<IResult> Answer(HubDbContext db, IQueryable<Customer> visible, Guid contactId, HttpContext http, CancellationToken ct,
        bool created = false)
    {
        if (await CustomerQueries.FindContactAsync(db, visible, contactId, ct) is not { } found)
            return NotFound(contactId);
        EntityTags.Set(http, found.Version);
        var view = ContactView.Of(found.Entity, found.Version);
        return created ? TypedResults.Created($"/api/{MobileApi.Version}/contacts/{contactId}", view) : TypedResults.Ok(view);
    }

    private static IResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such contact.", detail: $"Contact {id} does not exist.");
}
