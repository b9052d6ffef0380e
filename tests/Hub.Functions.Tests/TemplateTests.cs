using System.Text.RegularExpressions;
using Hub.Functions.Notifications.Templates;

namespace Hub.Functions.Tests;

/// <summary>The message templates per event, in Chinese and English, and the strict renderer.</summary>
public sealed partial class TemplateTests
{
    private static readonly NotificationTemplates Templates = NotificationTemplates.LoadEmbedded();
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>A value for every placeholder any template uses.</summary>
    private static readonly Dictionary<string, object?> Sample = new()
    {
        ["recipientName"] = "Li Lei",
        ["unsubscribeUrl"] = "https://crm.example.com/notifications/unsubscribe?token=abc",
        ["orderNumber"] = "SO-20260302-0001",
        ["totalAmount"] = 1234.5m,
        ["shippedAt"] = new DateTimeOffset(2026, 3, 2, 6, 30, 0, TimeSpan.Zero),
        ["carrierReference"] = "SF1234567890",
        ["sequence"] = 2,
        ["amount"] = 500m,
        ["currency"] = "CNY",
        ["dueOn"] = new DateOnly(2026, 4, 1),
        ["ticketNumber"] = "ST-0042",
        ["summary"] = "Router offline",
        ["engineerName"] = "王工",
        ["surveyUrl"] = "https://crm.example.com/survey/42",
        ["customerCode"] = "C1001",
        ["workOrderNumber"] = "FW-0007",
        ["scheduledFor"] = new DateTimeOffset(2026, 3, 3, 1, 0, 0, TimeSpan.Zero),
        ["siteAddress"] = "北京市朝阳区建国路 1 号",
        ["kind"] = "order",
        ["subject"] = "SO-20260302-0001",
        ["requestedBy"] = "sales-li",
        ["state"] = "Fulfilling",
        ["deadlineAt"] = new DateTimeOffset(2026, 3, 2, 7, 15, 0, TimeSpan.Zero),
        ["ownerName"] = "Li Lei",
        ["holderName"] = "Li Lei",
        ["alarmCount"] = 2,
        ["alertSubject"] = "billing",
        ["text"] = "circuit to billing open in Adapters on hub-01 (pid 4242)",
        ["since"] = new DateTimeOffset(2026, 3, 2, 7, 15, 0, TimeSpan.Zero),
        ["clearedAt"] = new DateTimeOffset(2026, 3, 2, 7, 45, 0, TimeSpan.Zero),
        ["dealerCode"] = "D01",
        ["dealerName"] = "华北改装",
        ["month"] = "2026-03",
        ["metric"] = "SalesAmount",
        ["target"] = 100000m,
        ["actual"] = 42000m,
        ["percent"] = 42m,
        ["contractNumber"] = "AC0123456789AB",
        ["territory"] = "Hubei",
        ["validTo"] = "2027-03-31",
        ["daysLeft"] = 30,
        ["receivedOn"] = new DateOnly(2026, 3, 5),
        ["reason"] = "customer account frozen in ERP",
        ["refusedAt"] = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero),
    };

    public static TheoryData<string, string> EveryTemplateInEveryLanguage()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Templates.Names)
            foreach (var language in NotificationTemplates.Languages)
                data.Add(name, language);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTemplateInEveryLanguage))]
    public void Every_template_renders_completely_in_its_language(string name, string language)
    {
        // Names and places in plain letters, so any Chinese in the result comes from the template.
        var data = new Dictionary<string, object?>(Sample) { ["engineerName"] = "Wang", ["dealerName"] = "North", ["siteAddress"] = "Road 1" };
        var message = Templates.Render(name, language, data, Shanghai);
        foreach (var part in new[] { message.Subject, message.Text, message.Html, message.Sms }.OfType<string>())
        {
            Assert.DoesNotContain("{{", part);
            Assert.DoesNotContain("}}", part);
            if (name != "campaign-footer" || part.Length > 0)
                Assert.Equal(language == "zh", Han().IsMatch(part) || (name == "campaign-footer" && part.Contains("TD")));
        }
        Assert.True(message.Subject is not null || message.Sms is not null, "a template offers at least one channel");
    }

    [Theory]
    [MemberData(nameof(EveryTemplateInEveryLanguage))]
    public void Sms_texts_fit_in_two_messages(string name, string language)
    {
        var sms = Templates.Render(name, language, Sample, Shanghai).Sms;
        if (sms is null)
            return;
        // Two concatenated parts: 2 x 67 UCS-2 characters for Chinese, 2 x 153 GSM characters for plain English.
        Assert.True(sms.Length <= (language == "zh" ? 134 : 306), $"{name} ({language}) is {sms.Length} characters: {sms}");
    }

    [Fact]
    public void Values_are_formatted_in_the_language_and_times_in_the_company_zone()
    {
        var zh = Templates.Render("order-shipped", "zh", Sample, Shanghai);
        Assert.Contains("已于 2026-03-02 14:30 发货", zh.Text);
        Assert.Contains("运单号：SF1234567890", zh.Text);
        var en = Templates.Render("dealer-behind-target-staff", "en", Sample, Shanghai);
        Assert.Equal("dealer 华北改装 (D01) stands at 42000 of 100000 sales for 2026-03 (42%).", en.Text!.Split('\n')[1]);
        Assert.Contains("销售额", Templates.Render("dealer-behind-target-staff", "zh", Sample, Shanghai).Text);
    }

    [Fact]
    public void A_missing_value_is_an_error_naming_every_gap_and_nothing_is_rendered()
    {
        var data = new Dictionary<string, object?>(Sample) { ["orderNumber"] = null, ["totalAmount"] = " " };
        data.Remove("recipientName");
        var error = Assert.Throws<TemplateException>(() => Templates.Render("order-completed", "en", data, Shanghai));
        Assert.Contains("subject: no value for 'orderNumber'", error.Problems);
        Assert.Contains("text: no value for 'recipientName'", error.Problems);
        Assert.Contains("sms: no value for 'totalAmount'", error.Problems);
        Assert.StartsWith("Template order-completed (en): ", error.Message);
    }

    [Theory]
    [InlineData("payment-received", "en", "orderNumber", "amount", "receivedOn")]
    [InlineData("payment-received", "zh", "orderNumber", "amount", "receivedOn")]
    [InlineData("order-completion-refused", "en", "orderNumber", "customerCode", "reason", "refusedAt")]
    [InlineData("order-completion-refused", "zh", "orderNumber", "customerCode", "reason", "refusedAt")]
    public void A_commerce_template_without_its_values_names_every_gap(string name, string language, params string[] values)
    {
        var data = new Dictionary<string, object?>(Sample);
        foreach (var value in values)
            data.Remove(value);
        var error = Assert.Throws<TemplateException>(() => Templates.Render(name, language, data, Shanghai));
        Assert.StartsWith($"Template {name} ({language}): ", error.Message);
        foreach (var value in values)
            Assert.Contains($"text: no value for '{value}'", error.Problems);
        Assert.Contains("subject: no value for 'orderNumber'", error.Problems);
        Assert.Contains("sms: no value for 'orderNumber'", error.Problems);
    }

    [Fact]
    public void Commerce_templates_tell_the_amount_the_day_and_erps_reason()
    {
        var paid = Templates.Render("payment-received", "zh", Sample, Shanghai);
        Assert.Equal("我们已于2026-03-05收到您订单SO-20260302-0001的款项500.00元，感谢支持。", paid.Sms);
        Assert.Equal("Payment received for order SO-20260302-0001", Templates.Render("payment-received", "en", Sample, Shanghai).Subject);
        var refused = Templates.Render("order-completion-refused", "en", Sample, Shanghai);
        Assert.Contains("(customer C1001) at 2026-03-02 16:00:\ncustomer account frozen in ERP\n", refused.Text);
        Assert.DoesNotContain("frozen", refused.Sms);
        Assert.Contains("原因：\ncustomer account frozen in ERP", Templates.Render("order-completion-refused", "zh", Sample, Shanghai).Text);
    }

    [Fact]
    public void An_optional_section_disappears_without_its_value()
    {
        var data = new Dictionary<string, object?>(Sample) { ["carrierReference"] = null };
        var message = Templates.Render("order-shipped", "en", data, Shanghai);
        Assert.Equal("Your order SO-20260302-0001 has shipped.", message.Sms);
        Assert.DoesNotContain("Waybill", message.Text);
    }

    [Fact]
    public void Html_parts_encode_values_and_text_parts_keep_them()
    {
        var data = new Dictionary<string, object?>(Sample) { ["recipientName"] = "<script>x</script> & Co" };
        var message = Templates.Render("order-completed", "en", data, Shanghai);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt; &amp; Co", message.Html);
        Assert.Contains("Dear <script>x</script> & Co,", message.Text);
    }

    [Fact]
    public void An_unknown_term_a_bad_format_or_a_broken_placeholder_is_an_error()
    {
        var data = new Dictionary<string, object?>(Sample) { ["metric"] = "Bogus" };
        Assert.Contains("sms: 'metric' has no term for 'Bogus'",
            Assert.Throws<TemplateException>(() => Templates.Render("dealer-behind-target-staff", "en", data, Shanghai)).Problems);
        var template = new MessageTemplate(null, null, null, "{{orderNumber:D}} {{totalAmount:Q}} {{recipientName");
        var problems = Assert.Throws<TemplateException>(() => Templates.Render("x", "en", Sample, Shanghai, template)).Problems;
        Assert.Contains("sms: 'orderNumber' is text and takes no format", problems);
        Assert.Contains("sms: 'totalAmount' has a bad format 'Q'", problems);
        Assert.Contains("sms: a placeholder or section is not closed or not well formed", problems);
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();
}
