using Hub.Infrastructure;
using System.Text.Json;
using Crm.Contracts.Products;
using Crm.Domain;
using Crm.Domain.Products;
using Hub.Adapters.Customers;
using Hub.Adapters.Identity;
using Hub.Adapters.Mobile;
using Hub.CrmStore;
using Hub.CrmStore.Products;
using Hub.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Hub.Infrastructure.Access;

namespace Hub.Adapters.Products;

/// <summary>
/// The product catalogue, the standard price book and quotes for the mobile apps (003 §3.5, 002 §5.4). Everyone
/// signed in reads the catalogue and prices quotes; only managers change products and prices (others get 403).
/// Writes go to the products endpoint as commands; reads and quotes come from the store.
/// </summary>
public static class ProductsApi
{
    /// <summary>Maps <c>/api/v1/products</c>, <c>/api/v1/price-book</c> and <c>/api/v1/quotes</c> (and their unversioned aliases).</summary>
    public static void MapProductsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapMobileResource("products", "Products", g =>
        {
            g.MapPost("/", Register).Produces<ProductView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status403Forbidden).Rejections();
            g.MapGet("/", List).Produces<Page<ProductView>>().ProducesValidationProblem();
            g.MapGet("/{productId:guid}", Get).Produces<ProductView>().ProducesProblem(StatusCodes.Status404NotFound);
            g.MapPut("/{productId:guid}", Update).Produces<ProductView>().ProducesProblem(StatusCodes.Status403Forbidden).Rejections();
            g.MapGet("/{productId:guid}/history", History).Produces<ChangeView[]>().ProducesProblem(StatusCodes.Status404NotFound);
            g.MapPut("/{productId:guid}/state", ChangeState).Produces<ProductView>().ProducesProblem(StatusCodes.Status403Forbidden).Rejections();
        });
        routes.MapMobileResource("price-book", "Products", g =>
        {
            g.MapGet("/", GetPriceBook).Produces<PriceBookView>();
            g.MapPut("/", SetPriceBook).Produces<PriceBookView>().ProducesProblem(StatusCodes.Status403Forbidden).Rejections();
        });
        routes.MapMobileResource("quotes", "Quotes", g =>
            g.MapPost("/", Quote).Produces<QuoteView>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity));
    }

    private static async Task<IResult> Register(ProductRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        IRequestClient<RegisterProduct> products, HubDbContext db, HttpContext http, CancellationToken ct)
    {
        if (ManagersOnly(http, out var caller) is { } forbidden)
            return forbidden;
        // The Idempotency-Key names the product, so a retry whose first answer was lost registers it once.
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? NewId.NextGuid().ToString() : idempotencyKey;
        var (accepted, problem) = await ProductCommands.SendAsync(products, new RegisterProduct(IdempotencyFilter.IdFor("crm-product-command", key),
            request.ProductId ?? IdempotencyFilter.IdFor("crm-product", key), request.Code ?? "", request.Name ?? "", request.Spec, request.Model,
            caller.UserId), ct);
        return problem ?? await Answer(db, accepted!.EntityId, http, ct, created: true);
    }

    /// <summary><c>?state=</c>, <c>?spec=</c>, <c>?model=</c> filter exactly; <c>?q=</c> searches code, name, spec and model. In code order.</summary>
    private static async Task<IResult> List([AsParameters] PageRequest paging, string? state, string? spec, string? model, HubDbContext db, CancellationToken ct)
    {
        if (paging.Validate() is { } invalid)
            return invalid;
        var q = db.Set<Product>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(state))
        {
            if (ParseState(state) is not { } s)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["state"] = [StateChoices] }, title: "The list request is invalid.");
            q = q.Where(p => p.State == s);
        }
        if (!string.IsNullOrWhiteSpace(spec))
            q = q.Where(p => p.Spec == spec.Trim());
        if (!string.IsNullOrWhiteSpace(model))
            q = q.Where(p => p.Model == model.Trim());
        if (paging.Search is { } term)
            q = q.Where(p => p.Code.Contains(term) || p.Name.Contains(term) || (p.Spec != null && p.Spec.Contains(term)) || (p.Model != null && p.Model.Contains(term)));
        var page = await paging.ToPageAsync(q.OrderBy(p => p.Code).Select(p => new { Product = p, Version = EF.Property<long>(p, CrmStoreModels.Version) }), ct);
        return TypedResults.Ok(new Page<ProductView>(page.Items.Select(p => ProductView.Of(p.Product, p.Version)).ToArray(), page.PageNumber, page.PageSize, page.Total));
    }

    private static Task<IResult> Get(Guid productId, HubDbContext db, HttpContext http, CancellationToken ct) => Answer(db, productId, http, ct);

    private static Task<IResult> Update(Guid productId, ProductRequest request, IRequestClient<UpdateProduct> products, HubDbContext db, HttpContext http,
        CancellationToken ct) =>
        Change(productId, products, db, http, ct, (caller, version) =>
            new UpdateProduct(NewId.NextGuid(), productId, request.Name ?? "", request.Spec, request.Model, version, caller.UserId));

    private static Task<IResult> ChangeState(Guid productId, ProductStateRequest request, IRequestClient<ChangeProductState> products, HubDbContext db,
        HttpContext http, CancellationToken ct) =>
        Change(productId, products, db, http, ct, (caller, version) =>
            new ChangeProductState(NewId.NextGuid(), productId, request.State ?? "", version, caller.UserId));

    /// <summary>
    /// A change of a product by a manager: 403 for others, 404 when missing, 428/412 without a matching <c>If-Match</c>, then
    /// the command made from the version checked (the endpoint checks it again, so an edit landing in between is 412 too).
    /// </summary>
    private static async Task<IResult> Change<T>(Guid productId, IRequestClient<T> client, HubDbContext db, HttpContext http, CancellationToken ct,
        Func<MobileCaller, long, T> command) where T : class
    {
        if (ManagersOnly(http, out var caller) is { } forbidden)
            return forbidden;
        var version = await db.Set<Product>().AsNoTracking().Where(p => p.Id == productId)
            .Select(p => (long?)EF.Property<long>(p, CrmStoreModels.Version)).FirstOrDefaultAsync(ct);
        if (version is null)
            return NotFound(productId);
        if (EntityTags.CheckIfMatch(http, version.Value) is { } refused)
            return refused;
        var (_, problem) = await ProductCommands.SendAsync(client, command(caller, version.Value), ct);
        return problem ?? await Answer(db, productId, http, ct);
    }

    /// <summary>Every recorded change of a product: who, when, through what, before and after.</summary>
    private static async Task<IResult> History(Guid productId, HubDbContext db, CancellationToken ct)
    {
        if (!await db.Set<Product>().AnyAsync(p => p.Id == productId, ct))
            return NotFound(productId);
        var changes = await Hub.Persistence.History.ChangeHistory.Of<Product>(db, productId, ct);
        return TypedResults.Ok(changes.Select(c => ChangeView.Of(c)).ToArray());
    }

    private static async Task<IResult> GetPriceBook(HubDbContext db, HttpContext http, CancellationToken ct)
    {
        var view = await PriceBookAsync(db, ct);
        EntityTags.Set(http, view.Version);
        return TypedResults.Ok(view.For(MobileCaller.From(http.User)));
    }

    /// <summary>Replaces the price book's rules: managers only, with <c>If-Match</c> (<c>"0"</c> before the first book).</summary>
    private static async Task<IResult> SetPriceBook(PriceBookRequest request, IRequestClient<SetPriceBook> products, HubDbContext db, HttpContext http,
        CancellationToken ct)
    {
        if (ManagersOnly(http, out var caller) is { } forbidden)
            return forbidden;
        // The book is replaced whole: whoever cannot see its floor rules would drop them unknowingly.
        if (!caller.MaySee(SensitiveFields.PriceBookFloor))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Replacing the price book needs products.floor (it holds the floor rules).");
        var current = await PriceBookAsync(db, ct);
        if (EntityTags.CheckIfMatch(http, current.Version) is { } refused)
            return refused;
        if (request.Rules is null)
            return Unprocessable(new Dictionary<string, string[]> { ["rules"] = ["rules (a list, possibly empty) is required"] }, "The request breaks a business rule.");
        var (_, problem) = await ProductCommands.SendAsync(products, new SetPriceBook(NewId.NextGuid(), request.Rules, current.Version, caller.UserId), ct);
        if (problem is not null)
            return problem;
        var now = await PriceBookAsync(db, ct);
        EntityTags.Set(http, now.Version);
        return TypedResults.Ok(now);
    }

    /// <summary>
    /// Prices a combination of components with the price book in force (read-only: nothing is stored). Every component
    /// must be in the catalogue, on sale and priced by the book; the customer must be one the caller may see.
    /// </summary>
    private static async Task<IResult> Quote(QuoteRequest request, [FromHeader(Name = IdempotencyFilter.Header)] string? idempotencyKey,
        HubDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var caller = MobileCaller.From(http.User);
        var errors = new Dictionary<string, string[]>();
        if (request.Components is not { Count: > 0 and <= 200 })
            errors["components"] = ["a quote has 1 to 200 components"];
        if (request.CustomerId is not { } customerId || !await CustomerQueries.Visible(db, caller).AnyAsync(c => c.Id == customerId && c.MergedIntoId == null, ct))
            errors["customerId"] = ["no such customer"];
        if (errors.Count > 0)
            return Unprocessable(errors);

        var components = request.Components!.Select(c => new QuoteComponent(c?.Code ?? "", c?.Quantity ?? 0)).ToArray();
        // Codes are matched without regard to case, as the price book matches them.
        var codes = components.Select(c => c.Code.Trim().ToUpperInvariant()).Distinct().ToArray();
        var catalogue = await db.Set<Product>().AsNoTracking().Where(p => codes.Contains(p.Code.ToUpper())).ToListAsync(ct);
        var stored = await db.Set<StoredPriceBook>().AsNoTracking().Where(b => b.Id == StoredPriceBook.StandardId)
            .Select(b => new { Book = b, Version = EF.Property<long>(b, CrmStoreModels.Version) }).FirstOrDefaultAsync(ct);
        var key = string.IsNullOrWhiteSpace(idempotencyKey) ? NewId.NextGuid().ToString() : idempotencyKey;
        try
        {
            var quotation = Quotation.Prepare(IdempotencyFilter.IdFor("crm-quote", key), request.CustomerId!.Value, components,
                stored?.Book.ToPriceBook() ?? new PriceBook([]), catalogue, caller.UserId, clock.GetUtcNow(), request.ValidDays ?? 30);
            return TypedResults.Ok(QuoteView.Of(quotation, stored?.Version ?? 0, caller));
        }
        catch (DomainRuleViolation violation)
        {
            return Unprocessable(violation.Errors.ToDictionary(e => e.Key, e => e.Value));
        }
    }

    private static async Task<PriceBookView> PriceBookAsync(HubDbContext db, CancellationToken ct)
    {
        var stored = await db.Set<StoredPriceBook>().AsNoTracking().Where(b => b.Id == StoredPriceBook.StandardId)
            .Select(b => new { Book = b, Version = EF.Property<long>(b, CrmStoreModels.Version) }).FirstOrDefaultAsync(ct);
        // The stored document already has the shape of the rules on the wire.
        return stored is null
            ? new PriceBookView(JsonDocument.Parse("[]").RootElement, null, null, 0)
            : new PriceBookView(JsonDocument.Parse(stored.Book.Rules).RootElement, DateTime.SpecifyKind(stored.Book.ChangedAt, DateTimeKind.Utc),
                stored.Book.ChangedBy, stored.Version);
    }

    /// <summary>The product with its ETag; 201 with its address after registration.</summary>
    private static async Task<IResult> Answer(HubDbContext db, Guid productId, HttpContext http, CancellationToken ct, bool created = false)
    {
        var found = await db.Set<Product>().AsNoTracking().Where(p => p.Id == productId)
            .Select(p => new { Product = p, Version = EF.Property<long>(p, CrmStoreModels.Version) }).FirstOrDefaultAsync(ct);
        if (found is null)
            return NotFound(productId);
        EntityTags.Set(http, found.Version);
        var view = ProductView.Of(found.Product, found.Version);
        return created ? TypedResults.Created($"/api/{MobileApi.Version}/products/{productId}", view) : TypedResults.Ok(view);
    }

    /// <summary>Null for a holder of <c>products.manage</c> (managers by default); otherwise the 403 to answer. Catalogue and prices are company-wide.</summary>
    private static IResult? ManagersOnly(HttpContext http, out MobileCaller caller)
    {
        caller = MobileCaller.From(http.User);
        return caller.May(StaffPermissions.ProductsManage) ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only a manager may change the product catalogue or the price book.");
    }

    private static ProblemHttpResult Unprocessable(Dictionary<string, string[]> errors, string title = "The quote cannot be priced.") =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity, Title = title, Type = "urn:crm-hub:problem:business-rule",
        });

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such product.", detail: $"Product {id} does not exist.");

    private const string StateChoices = "must be one of Active, Discontinued";

    private static ProductState? ParseState(string value) =>
        EnumNames.TryParse<ProductState>(value, out var s) ? s : null;
}
