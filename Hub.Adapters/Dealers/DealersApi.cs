using Hub.Infrastructure.Access;
using Crm.Contracts.Dealers;
using Crm.Domain.Customers;
using Crm.Domain.Dealers;
using Hub.Adapters.Customers;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.CrmStore;
using Hub.CrmStore.Dealers;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Hub.Adapters.Dealers;

/// <summary>
/// Dealers for the mobile apps (003 §3.2): the dealers in the caller's scope with this month's achievement, their inspection
/// visits, negotiations, agency contracts and their approval, targets and achievement. Writes go to the dealers endpoint as
/// commands; reads come from the store. A dealer outside the caller's data scope answers exactly as a missing one (404).
/// </summary>
public static class DealersApi
{
    private static readonly Uri Dealers = HubQueues.Address(HubQueues.Dealers);

    /// <summary>Maps <c>/api/v1/dealers</c> and its alias <c>/api/dealers</c>.</summary>
    public static void MapDealersApi(this IEndpointRouteBuilder routes) => routes.MapMobileResource("dealers", "Dealers", g =>
    {
        g.MapGet("/", List).Produces<Page<DealerView>>().ProducesValidationProblem();
        g.MapGet("/{dealerId:guid}", Get).Produces<DealerView>().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapGet("/{dealerId:guid}/visits", ListVisits).Produces<Page<InspectionVisitView>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/{dealerId:guid}/visits", RecordVisit).Produces<InspectionVisitView>(StatusCodes.Status201Created).Rejections();
        g.MapGet("/{dealerId:guid}/negotiations", ListNegotiations).Produces<Page<NegotiationView>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/{dealerId:guid}/negotiations", RecordNegotiation).Produces<NegotiationView>(StatusCodes.Status201Created).Rejections();
        g.MapGet("/{dealerId:guid}/contracts", ListContracts).Produces<Page<AgencyContractView>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPost("/{dealerId:guid}/contracts", DraftContract).Produces<AgencyContractView>(StatusCodes.Status201Created).Rejections();
        g.MapGet("/{dealerId:guid}/contracts/{contractId:guid}", GetContract).Produces<AgencyContractView>().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPut("/{dealerId:guid}/contracts/{contractId:guid}", ReviseContract).Produces<AgencyContractView>().Rejections();
        g.MapPost("/{dealerId:guid}/contracts/{contractId:guid}/submit", SubmitContract).Produces<AgencyContractView>().Rejections();
        g.MapPost("/{dealerId:guid}/contracts/{contractId:guid}/approve", ApproveContract).Produces<AgencyContractView>().Rejections();
        g.MapPost("/{dealerId:guid}/contracts/{contractId:guid}/reject", RejectContract).Produces<AgencyContractView>().Rejections();
        g.MapPost("/{dealerId:guid}/contracts/{contractId:guid}/sign", SignContract).Produces<AgencyContractView>().Rejections();
        g.MapGet("/{dealerId:guid}/targets", ListTargets).Produces<Page<DealerTargetView>>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        g.MapPut("/{dealerId:guid}/targets/{year:int}", SetAnnualTarget).Produces<DealerTargetView>().Rejections();
        g.MapPut("/{dealerId:guid}/targets/{year:int}/{month:int}", SetMonthlyTarget).Produces<DealerTargetView>().Rejections();
        g.MapGet("/{dealerId:guid}/achievement", Achievement).Produces<AchievementView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
    });

    /// <summary>The dealers the caller may see: customers of kind dealer in their data scope (a salesperson's own, a manager's region's).</summary>
    internal static IQueryable<Customer> Visible(HubDbContext db, MobileCaller caller) =>
        CustomerQueries.Visible(db, caller).Where(c => c.Kind == CustomerKind.Dealer);

    /// <summary>Dealers in scope by name; <c>q</c> searches code and name; each with this month's achievement.</summary>
    private static async Task<IResult> List([AsParameters] PageRequest paging, string? region, string? owner, HubDbContext db, IOptions<DealerOptions> options,
        TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (paging.Validate() is { } invalid)
            return invalid;
        var caller = MobileCaller.From(http.User);
        var q = Visible(db, caller).Where(c => c.MergedIntoId == null);
        if (!string.IsNullOrWhiteSpace(region))
            q = q.Where(c => c.Region == region.Trim());
        if (!string.IsNullOrWhiteSpace(owner))
            q = q.Where(c => c.OwnerSalespersonId == owner.Trim());
        if (paging.Search is { } term)
            q = q.Where(c => c.Code.Contains(term) || c.Name.Contains(term));
        var page = await paging.ToPageAsync(q.OrderBy(c => c.NameKey).ThenBy(c => c.Code), ct);
        var views = await WithThisMonth(db, page.Items, options.Value, clock, caller, ct);
        return TypedResults.Ok(new Page<DealerView>(views, page.PageNumber, page.PageSize, page.Total));
    }

    private static async Task<IResult> Get(Guid dealerId, HubDbContext db, IOptions<DealerOptions> options, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is not { } dealer)
            return NotFound("dealer", dealerId);
        return TypedResults.Ok((await WithThisMonth(db, [dealer], options.Value, clock, caller, ct))[0]);
    }

    private static async Task<IReadOnlyList<DealerView>> WithThisMonth(HubDbContext db, IReadOnlyList<Customer> dealers, DealerOptions options, TimeProvider clock,
        MobileCaller caller, CancellationToken ct)
    {
        var today = Today(options, clock);
        var ids = dealers.Select(d => d.Id).ToArray();
        var targets = await db.Set<DealerTarget>().AsNoTracking().Where(t => ids.Contains(t.DealerId) && t.Year == today.Year && t.Month == today.Month)
            .Select(t => new { Target = t, Version = EF.Property<long>(t, CrmStoreModels.Version) }).ToListAsync(ct);
        var entries = await DealerLedger.EntriesAsync(db, ids, today.Year, today.Month, ct);
        return dealers.Select(d =>
        {
            var target = targets.FirstOrDefault(t => t.Target.DealerId == d.Id);
            return DealerView.Of(d, AchievementView.Of(today.Year, today.Month, target?.Target, target?.Version,
                entries.Where(e => e.DealerId == d.Id).ToArray(), options.Commission, caller));
        }).ToArray();
    }

    /// <summary>Visits, newest first; <c>from</c>/<c>to</c> bound the day, <c>q</c> searches inspector and notes.</summary>
    private static async Task<IResult> ListVisits(Guid dealerId, [AsParameters] PageRequest paging, DateOnly? from, DateOnly? to, HubDbContext db, HttpContext http,
        CancellationToken ct)
    {
        if (paging.Validate() is { } invalid)
            return invalid;
        if (await Find(db, MobileCaller.From(http.User), dealerId, ct) is null)
            return NotFound("dealer", dealerId);
        var q = db.Set<InspectionVisit>().AsNoTracking().Where(v => v.DealerId == dealerId);
        if (from is { } f)
            q = q.Where(v => v.VisitedOn >= f);
        if (to is { } t)
            q = q.Where(v => v.VisitedOn <= t);
        if (paging.Search is { } term)
            q = q.Where(v => v.InspectorId.Contains(term) || (v.Notes != null && v.Notes.Contains(term)));
        var page = await paging.ToPageAsync(q.OrderByDescending(v => v.VisitedOn).ThenBy(v => v.Id), ct);
        return TypedResults.Ok(new Page<InspectionVisitView>(page.Items.Select(InspectionVisitView.Of).ToArray(), page.PageNumber, page.PageSize, page.Total));
    }

    private static async Task<IResult> RecordVisit(Guid dealerId, InspectionVisitRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is null)
            return NotFound("dealer", dealerId);
        if (Required(("visitedOn", request.VisitedOn)) is { } missing)
            return missing;
        var key = Key(idempotencyKey);
        var id = request.VisitId ?? IdempotencyFilter.IdFor("crm-dealer-visit", key);
        var (accepted, problem) = await Send(clients, new RecordInspectionVisit(CommandId(http, key), id, dealerId, request.VisitedOn!.Value, request.Scores!,
            request.Notes, caller.UserId), ct);
        if (problem is not null)
            return problem;
        var visit = await db.Set<InspectionVisit>().AsNoTracking().FirstAsync(v => v.Id == accepted!.EntityId, ct);
        return TypedResults.Created($"/api/{MobileApi.Version}/dealers/{dealerId}/visits/{visit.Id}", InspectionVisitView.Of(visit));
    }

    /// <summary>Negotiations, newest first; <c>outcome</c> filters, <c>q</c> searches participants and who recorded it.</summary>
    private static async Task<IResult> ListNegotiations(Guid dealerId, [AsParameters] PageRequest paging, string? outcome, HubDbContext db, HttpContext http,
        CancellationToken ct)
    {
        if (paging.Validate() is { } invalid)
            return invalid;
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is null)
            return NotFound("dealer", dealerId);
        var q = db.Set<NegotiationRecord>().AsNoTracking().Where(n => n.DealerId == dealerId);
        if (!string.IsNullOrWhiteSpace(outcome))
        {
            if (!EnumNames.TryParse<NegotiationOutcome>(outcome, out var o))
                return Invalid("outcome", $"must be one of {string.Join(", ", Enum.GetNames<NegotiationOutcome>())}");
            q = q.Where(n => n.Outcome == o);
        }
        if (paging.Search is { } term)
            q = q.Where(n => n.Participants.Contains(term) || n.RecordedBy.Contains(term));
        var page = await paging.ToPageAsync(q.OrderByDescending(n => n.HeldOn).ThenBy(n => n.Id), ct);
        return TypedResults.Ok(new Page<NegotiationView>(page.Items.Select(n => NegotiationView.Of(n, caller)).ToArray(), page.PageNumber, page.PageSize, page.Total));
    }

    private static async Task<IResult> RecordNegotiation(Guid dealerId, NegotiationRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is null)
            return NotFound("dealer", dealerId);
        if (Required(("heldOn", request.HeldOn)) is { } missing)
            return missing;
        var key = Key(idempotencyKey);
        var id = request.NegotiationId ?? IdempotencyFilter.IdFor("crm-dealer-negotiation", key);
        var (accepted, problem) = await Send(clients, new RecordNegotiation(CommandId(http, key), id, dealerId, request.HeldOn!.Value, request.Participants ?? "",
            request.Terms ?? [], request.Outcome ?? "", caller.UserId), ct);
        if (problem is not null)
            return problem;
        var record = await db.Set<NegotiationRecord>().AsNoTracking().FirstAsync(n => n.Id == accepted!.EntityId, ct);
        return TypedResults.Created($"/api/{MobileApi.Version}/dealers/{dealerId}/negotiations/{record.Id}", NegotiationView.Of(record, caller));
    }

    /// <summary>Contracts by number; <c>status</c> filters, <c>q</c> searches number and territory.</summary>
    private static async Task<IResult> ListContracts(Guid dealerId, [AsParameters] PageRequest paging, string? status, HubDbContext db, HttpContext http,
        CancellationToken ct)
    {
        if (paging.Validate() is { } invalid)
            return invalid;
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is null)
            return NotFound("dealer", dealerId);
        var q = db.Set<AgencyContract>().AsNoTracking().Where(c => c.DealerId == dealerId);
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!EnumNames.TryParse<AgencyContractStatus>(status, out var s))
                return Invalid("status", $"must be one of {string.Join(", ", Enum.GetNames<AgencyContractStatus>())}");
            q = q.Where(c => c.Status == s);
        }
        if (paging.Search is { } term)
            q = q.Where(c => c.Number.Contains(term) || c.Territory.Contains(term));
        var page = await paging.ToPageAsync(q.OrderBy(c => c.Number).Select(c => new { Contract = c, Version = EF.Property<long>(c, CrmStoreModels.Version) }), ct);
        return TypedResults.Ok(new Page<AgencyContractView>(page.Items.Select(c => AgencyContractView.Of(c.Contract, c.Version, caller)).ToArray(),
            page.PageNumber, page.PageSize, page.Total));
    }

    private static async Task<IResult> DraftContract(Guid dealerId, AgencyContractRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is null)
            return NotFound("dealer", dealerId);
        if (Required(("validFrom", request.ValidFrom), ("validTo", request.ValidTo)) is { } missing)
            return missing;
        var key = Key(idempotencyKey);
        var id = request.ContractId ?? IdempotencyFilter.IdFor("crm-agency-contract", key);
        var (accepted, problem) = await Send(clients, new DraftAgencyContract(CommandId(http, key), id, dealerId, request.Territory ?? "", request.ValidFrom!.Value,
            request.ValidTo!.Value, request.Terms ?? "", request.NegotiationId, caller.UserId), ct);
        return problem ?? await AnswerContract(db, caller, dealerId, accepted!.EntityId, http, ct, created: true);
    }

    private static async Task<IResult> GetContract(Guid dealerId, Guid contractId, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is null)
            return NotFound("dealer", dealerId);
        return await AnswerContract(db, caller, dealerId, contractId, http, ct);
    }

    private static Task<IResult> ReviseContract(Guid dealerId, Guid contractId, AgencyContractRequest request, IClientFactory clients, HubDbContext db,
        HttpContext http, CancellationToken ct) =>
        Required(("validFrom", request.ValidFrom), ("validTo", request.ValidTo)) is { } missing
            ? Task.FromResult(missing)
            : ContractStep(dealerId, contractId, null, clients, db, http, ct, null, (caller, _, id, version) =>
                new ReviseAgencyContract(id, contractId, request.Territory ?? "", request.ValidFrom!.Value, request.ValidTo!.Value, request.Terms ?? "", version,
                    caller.UserId));

    /// <summary>
    /// Sends the draft for approval; everyone but the submitter who may decide it now is asked (push and notification): the managers
    /// of the dealer's region and the deputies they lent <c>contracts.approve</c> to (<see cref="Approvers"/>).
    /// </summary>
    private static Task<IResult> SubmitContract(Guid dealerId, Guid contractId, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, StaffRoleCatalog catalog, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        string[] approvers = [];
        return ContractStep(dealerId, contractId, idempotencyKey, clients, db, http, ct, async (caller, dealer) =>
            {
                approvers = dealer.Region is not { Length: > 0 } region ? []
                    : (await Approvers.WhoMayAsync(db, catalog, StaffPermissions.ContractsApprove, region, null,
                        c => c.UserId != caller.UserId && c.MayDecideContractOf(region), clock.GetUtcNow(), ct))
                    .Select(u => u.UserId).ToArray();
                return null;
            },
            (caller, _, id, version) => new SubmitAgencyContract(id, contractId, approvers, version, caller.UserId));
    }

    /// <summary>
    /// Managers of the dealer's region, or their deputies while a delegation of <c>contracts.approve</c> is in force (others 403); the
    /// endpoint checks the role and region decided in (a deputy's are the delegating manager's) and that the approver did not submit it.
    /// </summary>
    private static Task<IResult> ApproveContract(Guid dealerId, Guid contractId, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IClientFactory clients, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var decider = ("", "");
        return ContractStep(dealerId, contractId, idempotencyKey, clients, db, http, ct, async (caller, dealer) => DecidersOnly(decider = await DecidesAs(db, caller, dealer, ct)),
            (caller, _, id, version) => new ApproveAgencyContract(id, contractId, decider.Item1, decider.Item2, version, caller.UserId));
    }

    private static Task<IResult> RejectContract(Guid dealerId, Guid contractId, RejectContractRequest request,
        [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey, IClientFactory clients, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var decider = ("", "");
        return ContractStep(dealerId, contractId, idempotencyKey, clients, db, http, ct, async (caller, dealer) => DecidersOnly(decider = await DecidesAs(db, caller, dealer, ct)),
            (caller, _, id, version) => new RejectAgencyContract(id, contractId, request.Reason ?? "", decider.Item1, decider.Item2, version, caller.UserId));
    }

    private static Task<IResult> SignContract(Guid dealerId, Guid contractId, SignContractRequest request,
        [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey, IClientFactory clients, HubDbContext db, HttpContext http, CancellationToken ct) =>
        Required(("signedOn", request.SignedOn)) is { } missing
            ? Task.FromResult(missing)
            : ContractStep(dealerId, contractId, idempotencyKey, clients, db, http, ct, null,
                (caller, _, id, version) => new SignAgencyContract(id, contractId, request.SignedOn!.Value, version, caller.UserId));

    /// <summary>
    /// The role and region <paramref name="caller"/> decides a contract of <paramref name="dealer"/> in: their own for their own right,
    /// the delegating manager's for a deputy (as the deputy acts in the manager's stead); empty when they may not decide it.
    /// </summary>
    private static async Task<(string Role, string Region)> DecidesAs(HubDbContext db, MobileCaller caller, Customer dealer, CancellationToken ct)
    {
        if (caller.ContractDecisionGrant(dealer.Region) is not { } grant)
            return ("", "");
        if (grant.DelegatedBy is not { } delegator)
            return (caller.Role, caller.Region);
        var manager = await db.Set<MobileUser>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == delegator, ct);
        return manager is null ? ("", "") : (manager.Role, manager.Region);
    }

    private static IResult? DecidersOnly((string Role, string Region) decider) => decider.Role.Length > 0 ? null
        : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only a manager of the dealer's region, or their deputy, decides on an agency contract.");

    /// <summary>
    /// One step on a contract of a dealer in scope: 404 outside the scope or for another dealer's contract, the role check, 428/412 without a
    /// matching <c>If-Match</c>, then the command made from the version checked (the endpoint checks it again), and the contract as it is now.
    /// </summary>
    private static async Task<IResult> ContractStep<T>(Guid dealerId, Guid contractId, string? idempotencyKey, IClientFactory clients, HubDbContext db,
        HttpContext http, CancellationToken ct, Func<MobileCaller, Customer, Task<IResult?>>? refuse, Func<MobileCaller, Customer, Guid, long, T> command)
        where T : class
    {
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is not { } dealer)
            return NotFound("dealer", dealerId);
        var version = await db.Set<AgencyContract>().AsNoTracking().Where(c => c.Id == contractId && c.DealerId == dealerId)
            .Select(c => (long?)EF.Property<long>(c, CrmStoreModels.Version)).FirstOrDefaultAsync(ct);
        if (version is null)
            return NotFound("agency contract", contractId);
        if (refuse is not null && await refuse(caller, dealer) is { } refused)
            return refused;
        if (EntityTags.CheckIfMatch(http, version.Value) is { } precondition)
            return precondition;
        var id = idempotencyKey is null ? NewId.NextGuid() : CommandId(http, Key(idempotencyKey));
        var (_, problem) = await Send(clients, command(caller, dealer, id, version.Value), ct);
        return problem ?? await AnswerContract(db, caller, dealerId, contractId, http, ct);
    }

    private static async Task<IResult> AnswerContract(HubDbContext db, MobileCaller caller, Guid dealerId, Guid contractId, HttpContext http, CancellationToken ct,
        bool created = false)
    {
        var found = await db.Set<AgencyContract>().AsNoTracking().Where(c => c.Id == contractId && c.DealerId == dealerId)
            .Select(c => new { Contract = c, Version = EF.Property<long>(c, CrmStoreModels.Version) }).FirstOrDefaultAsync(ct);
        if (found is null)
            return NotFound("agency contract", contractId);
        var steps = await db.Set<AgencyContractStep>().AsNoTracking().Where(s => s.ContractId == contractId).ToListAsync(ct);
        EntityTags.Set(http, found.Version);
        var view = AgencyContractView.Of(found.Contract, found.Version, caller, steps);
        return created ? TypedResults.Created($"/api/{MobileApi.Version}/dealers/{dealerId}/contracts/{contractId}", view) : TypedResults.Ok(view);
    }

    /// <summary>Targets, latest year first and the annual before the months; <c>year</c> filters; each with its achievement.</summary>
    private static async Task<IResult> ListTargets(Guid dealerId, [AsParameters] PageRequest paging, int? year, HubDbContext db, IOptions<DealerOptions> options,
        HttpContext http, CancellationToken ct)
    {
        if (paging.Validate() is { } invalid)
            return invalid;
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is null)
            return NotFound("dealer", dealerId);
        var q = db.Set<DealerTarget>().AsNoTracking().Where(t => t.DealerId == dealerId);
        if (year is { } y)
            q = q.Where(t => t.Year == y);
        var page = await paging.ToPageAsync(q.OrderByDescending(t => t.Year).ThenBy(t => EF.Property<int>(t, DealerLedger.TargetPeriod))
            .Select(t => new { Target = t, Version = EF.Property<long>(t, CrmStoreModels.Version) }), ct);
        var entries = new List<DealerAchievementEntry>();
        foreach (var y2 in page.Items.Select(t => t.Target.Year).Distinct())
            entries.AddRange(await DealerLedger.EntriesAsync(db, [dealerId], y2, null, ct));
        return TypedResults.Ok(new Page<DealerTargetView>(page.Items.Select(t => TargetView(t.Target, t.Version, entries, options.Value, caller)).ToArray(),
            page.PageNumber, page.PageSize, page.Total));
    }

    private static Task<IResult> SetAnnualTarget(Guid dealerId, int year, DealerTargetRequest request, IClientFactory clients, HubDbContext db,
        IOptions<DealerOptions> options, HttpContext http, CancellationToken ct) => SetTarget(dealerId, year, null, request, clients, db, options, http, ct);

    private static Task<IResult> SetMonthlyTarget(Guid dealerId, int year, int month, DealerTargetRequest request, IClientFactory clients, HubDbContext db,
        IOptions<DealerOptions> options, HttpContext http, CancellationToken ct) => SetTarget(dealerId, year, month, request, clients, db, options, http, ct);

    /// <summary>
    /// Sets the period's target (supervisors and managers: the channel department agrees it with the dealer). <c>If-Match</c> names the
    /// target's version, <c>"0"</c> while the period has none, so two people setting the same period cannot overwrite each other.
    /// </summary>
    private static async Task<IResult> SetTarget(Guid dealerId, int year, int? month, DealerTargetRequest request, IClientFactory clients, HubDbContext db,
        IOptions<DealerOptions> options, HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is null)
            return NotFound("dealer", dealerId);
        if (!caller.May(StaffPermissions.DealersTargets))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only a supervisor or manager sets a dealer's targets.");
        var version = await db.Set<DealerTarget>().AsNoTracking().ForPeriod(dealerId, year, month)
            .Select(t => (long?)EF.Property<long>(t, CrmStoreModels.Version)).FirstOrDefaultAsync(ct) ?? 0;
        if (EntityTags.CheckIfMatch(http, version) is { } precondition)
            return precondition;
        var (accepted, problem) = await Send(clients, new SetDealerTarget(NewId.NextGuid(), NewId.NextGuid(), dealerId, year, month, request.Tier1!, request.Tier2!,
            request.Tier3!, version, caller.UserId), ct);
        if (problem is not null)
            return problem;
        var target = await db.Set<DealerTarget>().AsNoTracking().Where(t => t.Id == accepted!.EntityId)
            .Select(t => new { Target = t, Version = EF.Property<long>(t, CrmStoreModels.Version) }).FirstAsync(ct);
        EntityTags.Set(http, target.Version);
        var entries = await DealerLedger.EntriesAsync(db, [dealerId], year, month, ct);
        return TypedResults.Ok(TargetView(target.Target, target.Version, entries, options.Value, caller));
    }

    /// <summary>The dealer's achievement for <c>year</c> (default: this year) or one <c>month</c> of it, against that period's target when set.</summary>
    private static async Task<IResult> Achievement(Guid dealerId, int? year, int? month, HubDbContext db, IOptions<DealerOptions> options, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        if (await Find(db, caller, dealerId, ct) is null)
            return NotFound("dealer", dealerId);
        var y = year ?? Today(options.Value, clock).Year;
        if (y is < 2000 or > 2100 || month is < 1 or > 12)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [y is < 2000 or > 2100 ? "year" : "month"] = [y is < 2000 or > 2100 ? "must be from 2000 to 2100" : "must be from 1 to 12"],
            }, title: "The achievement request is invalid.");
        var target = await db.Set<DealerTarget>().AsNoTracking().ForPeriod(dealerId, y, month)
            .Select(t => new { Target = t, Version = EF.Property<long>(t, CrmStoreModels.Version) }).FirstOrDefaultAsync(ct);
        var entries = await DealerLedger.EntriesAsync(db, [dealerId], y, month, ct);
        return TypedResults.Ok(AchievementView.Of(y, month, target?.Target, target?.Version, entries, options.Value.Commission, caller));
    }

    private static DealerTargetView TargetView(DealerTarget t, long version, IReadOnlyList<DealerAchievementEntry> entries, DealerOptions options, MobileCaller caller) =>
        new(t.Id, t.DealerId, t.Year, t.Month, AchievementView.Wire(t.Tier1), AchievementView.Wire(t.Tier2), AchievementView.Wire(t.Tier3), t.AgreedBy, version,
            AchievementView.Of(t.Year, t.Month, t, version, entries, options.Commission, caller));

    private static Task<Customer?> Find(HubDbContext db, MobileCaller caller, Guid dealerId, CancellationToken ct) =>
        Visible(db, caller).FirstOrDefaultAsync(c => c.Id == dealerId, ct);

    private static DateOnly Today(DealerOptions options, TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), options.Zone()).DateTime);

    private static string Key(string? idempotencyKey) => string.IsNullOrWhiteSpace(idempotencyKey) ? NewId.NextGuid().ToString() : idempotencyKey.Trim();

    /// <summary>The same user, route and <c>Idempotency-Key</c> always name the same command, so a retry the replay store forgot is still taken once.</summary>
    private static Guid CommandId(HttpContext http, string key) =>
        IdempotencyFilter.IdFor($"crm-dealer-command:{MobileCaller.From(http.User).UserId}:{MobileApi.Canonical(http.Request.Path)}", key);

    private static async Task<(DealerCommandAccepted? Accepted, IResult? Problem)> Send<T>(IClientFactory clients, T command, CancellationToken ct) where T : class
    {
        var response = await clients.CreateRequestClient<T>(Dealers).GetResponse<DealerCommandAccepted, DealerCommandRejected>(command, ct);
        if (response.Is(out Response<DealerCommandAccepted>? accepted))
            return (accepted!.Message, null);
        response.Is(out Response<DealerCommandRejected>? rejected);
        return (null, CustomerCommands.ProblemOf(rejected!.Message.Reason, rejected.Message.Title, rejected.Message.Errors));
    }

    /// <summary>422 naming each required field left out.</summary>
    private static IResult? Required(params (string Field, object? Value)[] fields)
    {
        var missing = fields.Where(f => f.Value is null).ToDictionary(f => f.Field, _ => new[] { "is required" });
        return missing.Count == 0 ? null : CustomerCommands.ProblemOf(DealerCommandRejected.Invalid, "The request breaks a business rule.", missing);
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The list request is invalid.");

    private static IResult NotFound(string what, Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}.", detail: $"{char.ToUpperInvariant(what[0])}{what[1..]} {id} does not exist.");
}
