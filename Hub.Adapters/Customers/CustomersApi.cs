using Hub.Infrastructure;
using Crm.Contracts.Customers;
using Crm.Domain.Customers;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.Adapters.Orders;
using Hub.CrmStore;
using Hub.Infrastructure.Access;
using Hub.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Hub.Adapters.Customers;

/// <summary>
/// Customers for the mobile apps (003 §3.1): register, search, read, update with <c>If-Match</c>, owner and
/// grades, contacts, duplicate candidates, merge, and the call centre's screen pop. Writes go to the customers
/// endpoint as commands; reads come from the store, within the caller's data scope: a customer outside it
/// answers exactly as a missing one (404).
/// </summary>
public static class CustomersApi
{
    /// <summary>Maps <c>/api/v1/customers</c> and its alias <c>/api/customers</c>.</summary>
    public static void MapCustomersApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("customers", "Customers", g =>
    {
        // Handlers answer IResult (many outcomes); the document lists them here.
        g.MapPost("/", Register).Produces<CustomerView>(StatusCodes.Status201Created).Rejections();
        g.MapGet("/", Search).Produces<Page<CustomerView>>().ProducesValidationProblem();
        g.MapGet("/screen-pop", ScreenPop).Produces<ScreenPopView>().ProducesValidationProblem();
        g.MapGet("/{customerId:guid}", Get).Produces<CustomerView>().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPut("/{customerId:guid}", UpdateProfile).Produces<CustomerView>().Rejections();
        g.MapPut("/{customerId:guid}/owner", AssignOwner).Produces<CustomerView>().Rejections();
        g.MapPut("/{customerId:guid}/grade", Grade).Produces<CustomerView>().Rejections();
        g.MapGet("/{customerId:guid}/contacts", ListContacts).Produces<ContactView[]>().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/{customerId:guid}/contacts", ContactsApi.AddContact).Produces<ContactView>(StatusCodes.Status201Created).Rejections();
        g.MapGet("/{customerId:guid}/duplicates", Duplicates).Produces<DuplicateView[]>().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/{customerId:guid}/merge", Merge).Produces<CustomerView>().Rejections();
        g.MapGet("/{customerId:guid}/history", History).Produces<ChangeView[]>().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/{customerId:guid}/timeline", Timeline).Produces<TimelineEntry[]>().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/{customerId:guid}/as-of", AsOf).Produces<Dictionary<string, System.Text.Json.JsonElement>>().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/{customerId:guid}/restore", Restore).Produces<CustomerView>().Rejections();
    });

    private static async Task<IResult> Register(CustomerRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IRequestClient<RegisterCustomer> customers, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var owner = string.IsNullOrWhiteSpace(request.OwnerSalespersonId) ? caller.UserId : request.OwnerSalespersonId.Trim();
        if (!await StaffScope.CoversAsync(caller, StaffPermissions.CustomersWrite, owner, db, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You may only register customers for yourself or for staff you supervise.");

        // The Idempotency-Key names the customer, so a retry whose first answer was lost registers it once.
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? NewId.NextGuid().ToString() : idempotencyKey;
        var customerId = request.CustomerId ?? IdempotencyFilter.IdFor("crm-customer", key);
        var (accepted, problem) = await CustomerCommands.SendAsync(customers, new RegisterCustomer(IdempotencyFilter.IdFor("crm-customer-command", key),
            customerId, request.ToProfile(), owner, request.Attributes, caller.UserId), ct);
        if (problem is not null)
            return problem;
        return await Answer(db, caller, accepted!.EntityId, http, ct, created: true);
    }

    /// <summary>
    /// Customers in scope, filtered by name prefix, kind, region, owner, value and credit grade, sorted by <c>sort</c> (<c>name</c>,
    /// the default, <c>code</c>, <c>valueGrade</c>, <c>creditGrade</c>; a leading <c>-</c> reverses). Filtering or
    /// sorting by a field the caller may not see is refused (403); bank account and registration number are sealed at rest and are
    /// never filters (422 for those who may see them).
    /// </summary>
    private static async Task<IResult> Search([AsParameters] PageRequest paging, string? name, string? kind, string? region, string? owner, string? grade,
        string? creditGrade, bool? includeMerged, string? sort, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (paging.Validate() is { } invalid)
            return invalid;
        var caller = MobileCaller.From(http.User);
        if (SensitiveQuery.Refusal(caller, nameof(Customer), http.Request.Query) is { } refused)
            return refused;
        foreach (var sealedField in new[] { SensitiveFields.CustomerRegistrationNumber, SensitiveFields.CustomerBankAccount }
                     .Where(f => http.Request.Query.ContainsKey(f.JsonName)))
            errors[sealedField.JsonName] = ["is stored encrypted and cannot be searched; find the customer by code or name"];
        var q = CustomerQueries.Visible(db, caller);
        if (includeMerged != true)
            q = q.Where(c => c.MergedIntoId == null);
        if (CustomerName.NormalisePrefix(name) is { Length: > 0 } prefix)
            q = q.NameKeyStartsWith(prefix);
        if (Filter<CustomerKind>(kind, "kind", errors) is { } k)
            q = q.Where(c => c.Kind == k);
        if (Filter<ValueGrade>(grade, "grade", errors) is { } g)
            q = q.Where(c => c.ValueGrade == g);
        if (Filter<CreditGrade>(creditGrade, "creditGrade", errors) is { } cg)
            q = q.Where(c => c.CreditGrade == cg);
        if (!string.IsNullOrWhiteSpace(region))
            q = q.Where(c => c.Region == region.Trim());
        if (!string.IsNullOrWhiteSpace(owner))
            q = q.Where(c => c.OwnerSalespersonId == owner.Trim());
        if (paging.Search is { } term)
            q = q.Where(c => c.Code.Contains(term) || c.Name.Contains(term));
        var ordered = Sorted(q, sort, errors);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors, title: "The list request is invalid.");
        var page = await paging.ToPageAsync(ordered
            .Select(c => new Versioned<Customer>(c, EF.Property<long>(c, CrmStoreModels.Version))), ct);
        return TypedResults.Ok(new Page<CustomerView>(page.Items.Select(c => CustomerView.Of(c.Entity, c.Version, caller)).ToArray(),
            page.PageNumber, page.PageSize, page.Total));
    }

    private static IQueryable<Customer> Sorted(IQueryable<Customer> q, string? sort, Dictionary<string, string[]> errors)
    {
        var descending = sort?.StartsWith('-') == true;
        // Grades are stored by name: sorting by them sorts A, B, C... which is best-first for both grades.
        IOrderedQueryable<Customer> By<TKey>(System.Linq.Expressions.Expression<Func<Customer, TKey>> key) =>
            descending ? q.OrderByDescending(key) : q.OrderBy(key);
        var ordered = sort?.TrimStart('-') switch
        {
            null or "" or "name" => By(c => c.NameKey),
            "code" => By(c => c.Code),
            "valueGrade" => By(c => c.ValueGrade),
            "creditGrade" => By(c => c.CreditGrade),
            _ => null,
        };
        if (ordered is null)
        {
            errors[SensitiveQuery.SortParameter] = ["must be one of name, code, valueGrade, creditGrade (a leading - reverses)"];
            return q;
        }
        return ordered.ThenBy(c => c.Code);
    }

    /// <summary><c>?caller=</c> (the number the switch delivers) or <c>?name=</c> (the name typed so far), exactly one.</summary>
    private static async Task<IResult> ScreenPop(string? caller, string? name, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(caller) == string.IsNullOrWhiteSpace(name) || caller?.Length > 64 || name?.Length > 100)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["caller"] = ["Give either caller (a phone number, at most 64 characters) or name (a name prefix, at most 100 characters)."],
            }, title: "The screen-pop request is invalid.");
        var user = MobileCaller.From(http.User);
        var visible = CustomerQueries.Visible(db, user);
        return TypedResults.Ok(string.IsNullOrWhiteSpace(caller)
            ? await CustomerQueries.ScreenPopByNameAsync(visible, name, user, ct)
            : await CustomerQueries.ScreenPopByCallerAsync(db, visible, caller, user, ct));
    }

    private static Task<IResult> Get(Guid customerId, HubDbContext db, HttpContext http, CancellationToken ct) =>
        Answer(db, MobileCaller.From(http.User), customerId, http, ct);

    private static Task<IResult> UpdateProfile(Guid customerId, CustomerRequest request, IRequestClient<UpdateCustomerProfile> customers,
        HubDbContext db, HttpContext http, CancellationToken ct) =>
        Change(customerId, StaffPermissions.CustomersWrite, customers, db, http, ct, (caller, version) =>
            new UpdateCustomerProfile(NewId.NextGuid(), customerId, request.ToProfile(), request.Attributes, version, caller.UserId));

    private static Task<IResult> AssignOwner(Guid customerId, OwnerRequest request, IRequestClient<AssignCustomerOwner> customers,
        HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var owner = request.OwnerSalespersonId?.Trim() ?? "";
        return Change(customerId, StaffPermissions.CustomersAssign, customers, db, http, ct,
            (caller, version) => new AssignCustomerOwner(NewId.NextGuid(), customerId, owner, version, caller.UserId),
            // Handing customers over is the supervisors' call, and only to staff in their own scope.
            async caller => owner.Length > 0 && owner != caller.UserId && !await StaffScope.CoversAsync(caller, StaffPermissions.CustomersAssign, owner, db, ct)
                ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "A customer can be handed only to staff in your scope.")
                : null);
    }

    private static Task<IResult> Grade(Guid customerId, GradeRequest request, IRequestClient<GradeCustomer> customers,
        HubDbContext db, HttpContext http, CancellationToken ct) =>
        Change(customerId, StaffPermissions.CustomersGrade, customers, db, http, ct, (caller, version) =>
            new GradeCustomer(NewId.NextGuid(), customerId, request.ValueGrade ?? "", request.CreditGrade ?? "", version, caller.UserId));

    /// <summary>
    /// An update of a customer in the scope of <paramref name="permission"/>: 404 when the caller can neither see nor
    /// change it, 403 when they see it but <paramref name="permission"/> does not reach it, 428/412 without a matching
    /// <c>If-Match</c>, then the command made from the version checked (the endpoint checks it again, so an edit landing
    /// in between is refused there with 412 instead of overwritten), and the customer as it is now.
    /// </summary>
    private static async Task<IResult> Change<T>(Guid customerId, string permission, IRequestClient<T> client, HubDbContext db, HttpContext http,
        CancellationToken ct, Func<MobileCaller, long, T> command, Func<MobileCaller, Task<IResult?>>? authorise = null) where T : class
    {
        var caller = MobileCaller.From(http.User);
        var version = await CustomerQueries.Visible(db, caller, permission).Where(c => c.Id == customerId)
            .Select(c => (long?)EF.Property<long>(c, CrmStoreModels.Version)).FirstOrDefaultAsync(ct);
        if (version is null)
            return await CustomerQueries.Visible(db, caller).AnyAsync(c => c.Id == customerId, ct)
                ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"Your roles do not allow {permission} on this customer.")
                : NotFound(customerId);
        if (EntityTags.CheckIfMatch(http, version.Value) is { } refused)
            return refused;
        if (authorise is not null && await authorise(caller) is { } forbidden)
            return forbidden;
        var (_, problem) = await CustomerCommands.SendAsync(client, command(caller, version.Value), ct);
        return problem ?? await Answer(db, caller, customerId, http, ct);
    }

    /// <summary>Every recorded change of a customer in scope: who, when, through what, before and after (003 §4.4.5.2).</summary>
    private static async Task<IResult> History(Guid customerId, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (!await CustomerQueries.Visible(db, caller).AnyAsync(c => c.Id == customerId, ct))
            return NotFound(customerId);
        var changes = await Hub.Persistence.History.ChangeHistory.Of<Customer>(db, customerId, ct);
        var hidden = caller.HiddenFields(nameof(Customer));
        return TypedResults.Ok(changes.Select(c => ChangeView.Of(c, hidden)).ToArray());
    }

    /// <summary>A customer's orders, tickets, notifications and record changes in one timeline, newest first.</summary>
    private static async Task<IResult> Timeline(Guid customerId, int? limit, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await CustomerQueries.FindAsync(CustomerQueries.Visible(db, caller), customerId, ct) is not { } found)
            return NotFound(customerId);
        return TypedResults.Ok(await CustomerTimeline.Of(db, found.Entity, caller, Math.Clamp(limit ?? 100, 1, 500), ct));
    }

    /// <summary>A customer in scope as it was at <c>at</c> (its recorded values then).</summary>
    private static async Task<IResult> AsOf(Guid customerId, DateTimeOffset? at, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        if (at is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["at"] = ["at (an ISO 8601 time) is required"] });
        var caller = MobileCaller.From(http.User);
        if (!await CustomerQueries.Visible(db, caller).AnyAsync(c => c.Id == customerId, ct))
            return NotFound(customerId);
        return await Hub.Persistence.History.ChangeHistory.AsOf<Customer>(db, customerId, at.Value.UtcDateTime, ct) is { } then
            ? TypedResults.Ok(then.Values.Without(caller.HiddenFields(nameof(Customer))))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "The customer was not on record at that moment.");
    }

    /// <summary>Restores a customer in scope to its values at <c>asOf</c>: supervisors and managers, with <c>If-Match</c>.</summary>
    private static Task<IResult> Restore(Guid customerId, RestoreRequest request, IRequestClient<RestoreCustomer> customers,
        HubDbContext db, HttpContext http, CancellationToken ct) =>
        request.AsOf is not { } asOf
            ? Task.FromResult<IResult>(TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["asOf"] = ["asOf (an ISO 8601 time) is required"] }))
            : Change(customerId, StaffPermissions.CustomersRestore, customers, db, http, ct,
                (caller, version) => new RestoreCustomer(NewId.NextGuid(), customerId, asOf, version, caller.UserId));

    private static async Task<IResult> ListContacts(Guid customerId, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var visible = CustomerQueries.Visible(db, MobileCaller.From(http.User));
        if (!await visible.AnyAsync(c => c.Id == customerId, ct))
            return NotFound(customerId);
        var contacts = await db.Set<Contact>().AsNoTracking().Where(c => c.CustomerId == customerId)
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new Versioned<Contact>(c, EF.Property<long>(c, CrmStoreModels.Version)))
            .ToListAsync(ct);
        return TypedResults.Ok(contacts.Select(c => ContactView.Of(c.Entity, c.Version)).ToArray());
    }

    /// <summary>Active customers in scope whose normalised name or phone matches this one's (003 §3.1.1 客户重复的检查).</summary>
    private static async Task<IResult> Duplicates(Guid customerId, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var visible = CustomerQueries.Visible(db, caller);
        if (await CustomerQueries.FindAsync(visible, customerId, ct) is not { } probe)
            return NotFound(customerId);
        var nameKey = probe.Entity.NameKey;
        // From the phone itself, under every index key: the probe's stored index may be under another key than the others'.
        var phoneKeys = db.RequiredColumnKeys
            .BlindIndexes(PhoneNumber.Normalise(probe.Entity.Phone));
        var others = await visible
            .Where(c => c.Id != customerId && c.MergedIntoId == null && (c.NameKey == nameKey || phoneKeys.Contains(c.PhoneKey)))
            .Select(c => new Versioned<Customer>(c, EF.Property<long>(c, CrmStoreModels.Version)))
            .Take(100).ToListAsync(ct);
        var byId = others.ToDictionary(c => c.Entity.Id);
        var candidates = DuplicateCandidates.Of(probe.Entity, others.Select(c => c.Entity));
        return TypedResults.Ok(candidates.Select(d => byId[d.FirstId == customerId ? d.SecondId : d.FirstId] is var other
            ? new DuplicateView(CustomerView.Of(other.Entity, other.Version, caller), d.Reason.ToString().Split(", "))
            : null).ToArray());
    }

    /// <summary>Merges the duplicate named in the body into the customer of the path; both must be in the caller's scope.</summary>
    private static async Task<IResult> Merge(Guid customerId, MergeRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IRequestClient<MergeCustomers> customers, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var visible = CustomerQueries.Visible(db, caller);
        if (!await visible.AnyAsync(c => c.Id == customerId, ct))
            return NotFound(customerId);
        if (!await visible.AnyAsync(c => c.Id == request.DuplicateId, ct))
            return NotFound(request.DuplicateId);
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? NewId.NextGuid().ToString() : idempotencyKey;
        var (_, problem) = await CustomerCommands.SendAsync(customers,
            new MergeCustomers(IdempotencyFilter.IdFor("crm-customer-merge", key), customerId, request.DuplicateId, caller.UserId), ct);
        return problem ?? await Answer(db, caller, customerId, http, ct);
    }

    /// <summary>The customer in scope with its ETag; 201 with its address after registration.</summary>
    private static async Task<IResult> Answer(HubDbContext db, MobileCaller caller, Guid customerId, HttpContext http, CancellationToken ct,
        bool created = false)
    {
        if (await CustomerQueries.FindAsync(CustomerQueries.Visible(db, caller), customerId, ct) is not { } found)
            return NotFound(customerId);
        EntityTags.Set(http, found.Version);
        var view = CustomerView.Of(found.Entity, found.Version, caller);
        return created ? TypedResults.Created($"/api/{MobileApi.Version}/customers/{customerId}", view) : TypedResults.Ok(view);
    }

    /// <summary>The refusals of a write: broken rules (422), missing (404), clash (409), stale or missing <c>If-Match</c> (412/428).</summary>
    internal static RouteHandlerBuilder Rejections(this RouteHandlerBuilder route) => route
        .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status412PreconditionFailed)
        .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    internal static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such customer.", detail: $"Customer {id} does not exist.");

    private static T? Filter<T>(string? value, string field, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (EnumNames.TryParse<T>(value, out var parsed))
            return parsed;
        errors[field] = [$"must be one of {string.Join(", ", Enum.GetNames<T>())}"];
        return null;
    }
}
