using Hub.Functions.Email;
using Hub.Functions.Hosting;
using Hub.Functions.Notifications;
using Hub.Infrastructure;
using Hub.Persistence;
using MassTransit;

namespace Hub.Functions;

/// <summary>The notification functions (SMS, email), hosted on the generic host and triggered by bus messages.</summary>
public sealed class FunctionsModule : IHubModule
{
    public string Name => "Functions";

    public void AddServices(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SmtpOptions>()
            .Bind(builder.Configuration.GetSection(SmtpOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<EmailSender>();
        builder.Services.AddSingleton<IHubStoreModel, NotificationsStoreModel>();
    }

    public void AddBus(IBusRegistrationConfigurator bus) => bus.AddFunctions(typeof(FunctionsModule).Assembly);

    public void Map(WebApplication app)
    {
    }
}
