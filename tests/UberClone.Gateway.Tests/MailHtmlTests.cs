using UberClone.Gateway.Mail;

namespace UberClone.Gateway.Tests;

/// <summary>The HTML part made from a mail's text: prose as paragraphs, "label   value" blocks as tables, the total marked, everything escaped.</summary>
public sealed class MailHtmlTests
{
    [Fact]
    public void A_receipt_becomes_paragraphs_and_a_table_whose_last_row_under_the_rule_is_the_total()
    {
        var html = MailHtml.Render("Your UberClone receipt: 21.40 EUR", """
            Hello <Ana> & co,

            Thanks for riding with UberClone.

            Base fare                       2.50 EUR
            Tip                             3.00 EUR
            ----------------------------------------
            Total charged                  21.40 EUR

            Ride        Comfort, 5.2 km, 14 min
            Trip        t1
            """);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>Your UberClone receipt: 21.40 EUR</title>", html);
        Assert.Contains(">Hello &lt;Ana&gt; &amp; co,</p>", html);
        Assert.Contains(">Thanks for riding with UberClone.</p>", html);
        Assert.Contains("<td style=\"padding:3px 0\">Base fare</td><td style=\"padding:3px 0;text-align:right\">2.50 EUR</td>", html);
        Assert.Contains("font-weight:700\">Total charged</td>", html);
        Assert.Contains("text-align:right\">21.40 EUR</td>", html);
        Assert.DoesNotContain("-----", html);
        Assert.Contains(">Ride</td>", html);
        Assert.Contains(">Comfort, 5.2 km, 14 min</td>", html);
        Assert.Equal(2, html.Split("<table").Length - 1);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_amount_in_a_currency_written_with_its_code_is_one_cell_with_its_no_break_space()
    {
        var html = MailHtml.Render("s", "Base fare                    CHF\u00A02.50\nTotal charged               CHF\u00A021.40");
        Assert.Contains("<td style=\"padding:3px 0\">Base fare</td><td style=\"padding:3px 0;text-align:right\">CHF&#160;2.50</td>", html);
        Assert.Contains("text-align:right\">CHF&#160;21.40</td>", html);
    }

    [Fact]
    public void A_block_with_any_prose_line_stays_prose_with_its_line_breaks()
    {
        var html = MailHtml.Render("s", "Your code is 123456.\nIt works for 15  minutes, once.");
        Assert.Contains(">Your code is 123456.<br>It works for 15  minutes, once.</p>", html);
        Assert.DoesNotContain("<table", html);
    }
}
