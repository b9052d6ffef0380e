using Microsoft.Playwright;

namespace Hub.Ops.BrowserTests;

/// <summary>Debian's Chromium, headless, launched by Playwright (never a downloaded browser).</summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    /// <summary>Where the page screenshots go: <c>docs/ops</c> in the repository.</summary>
    public static string ScreenshotDirectory { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "docs", "ops"));

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) with a page on <paramref name="baseUrl"/>.</summary>
    public async Task<IPage> NewPage(string baseUrl, string locale = "zh-CN")
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl, Locale = locale, ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in on the page's own form.</summary>
    public static async Task SignIn(IPage page, string user, string password)
    {
        await page.GotoAsync("/ops");
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#signinButton");
        await page.WaitForSelectorAsync("#app:not([hidden])");
    }

    /// <summary>Saves a full-page screenshot as <c>docs/ops/&lt;name&gt;.png</c>.</summary>
    public static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
            await Chromium.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition("browser")]
public sealed class BrowserCollection : ICollectionFixture<Browser>, ICollectionFixture<Hub.Tests.Ops.OpsHub>;
