using Crm.Domain.Customers;

namespace Hub.Functions.Notifications;

/// <summary>How recipients are keyed in the registry, and how their addresses are compared.</summary>
public static class RecipientKeys
{
    /// <summary>The kinds of recipient.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["customer", "contact", "user", "dealer"];

    /// <summary>A customer (its main contact details).</summary>
    public static string Customer(string customerCode) => "customer:" + customerCode;

    /// <summary>A contact person at a customer.</summary>
    public static string Contact(Guid contactId) => "contact:" + contactId.ToString("D");

    /// <summary>The person a customer event is about: its contact when the event names one, else the customer.</summary>
    public static string CustomerOrContact(string customerCode, Guid? contactId) =>
        contactId is { } id ? Contact(id) : Customer(customerCode);

    /// <summary>A member of staff (sales, engineer, manager) by user id.</summary>
    public static string User(string userId) => UserPrefix + userId;

    /// <summary>How a member of staff's key begins.</summary>
    public const string UserPrefix = "user:";

    /// <summary>A dealer.</summary>
    public static string Dealer(string dealerCode) => "dealer:" + dealerCode;

    /// <summary>Addresses compare trimmed and in lower case; phone numbers by the domain's comparison key (+86 and separators dropped).</summary>
    public static string? Address(string channel, string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
            return null;
        if (channel == NotificationChannel.Email)
            return raw.Trim().ToLowerInvariant();
        var key = PhoneNumber.Normalise(raw);
        return key.Length >= 5 ? key : null;
    }

    /// <summary>The key an email address is indexed and looked up by (<see cref="Address"/>; "" for none).</summary>
    public static string EmailIndexKey(string? raw) => Address(NotificationChannel.Email, raw) ?? "";

    /// <summary>The key a phone number is indexed and looked up by (<see cref="Address"/>; "" for none).</summary>
    public static string PhoneIndexKey(string? raw) => Address(NotificationChannel.Sms, raw) ?? "";
}
