using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace UberClone.Gateway.Mail;

/// <summary>
/// The HTML part of a mail, made from its plain text (the text stays the source: what every composer writes and every
/// test pins): paragraphs become paragraphs, a block of "label   value" lines (a receipt's amounts, a ride's details)
/// becomes a two-column table, an http(s) address a link, a line of dashes above a block's last line marks it as the total, and the layout is a
/// plain branded card with inline styles (mail clients ignore style sheets). No I/O, no scripts, no remote images.
/// </summary>
public static partial class MailHtml
{
    public static string Render(string subject, string text)
    {
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(Encode(subject)).Append("</title></head>")
            .Append("<body style=\"margin:0;padding:24px;background:#f1f5f9;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#0f172a\">")
            .Append("<div style=\"max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px\">")
            .Append("<p style=\"margin:0 0 16px;font-size:20px;font-weight:700\">UberClone</p>");
        foreach (var block in Blocks(text)) AppendBlock(html, block);
        return html.Append("</div></body></html>").ToString();
    }

    private static IEnumerable<string[]> Blocks(string text) =>
        Regex.Split(text.ReplaceLineEndings("\n").Trim('\n'), @"\n[ \t]*\n")
            .Select(b => b.Split('\n'))
            .Where(lines => lines.Any(l => l.Trim().Length > 0));

    private static void AppendBlock(StringBuilder html, string[] lines)
    {
        var rows = lines.Select(Row).ToArray();
        if (rows.All(r => r is not null))
        {
            html.Append("<table role=\"presentation\" style=\"width:100%;border-collapse:collapse;margin:0 0 16px;font-size:14px\">");
            for (var i = 0; i < rows.Length; i++)
            {
                var (label, value, rule) = rows[i]!.Value;
                if (rule) continue; // shown as the next row's top border
                var total = i > 0 && rows[i - 1]!.Value.Rule;
                var cell = total ? "padding:6px 0;border-top:1px solid #cbd5e1;font-weight:700" : "padding:3px 0";
                html.Append("<tr><td style=\"").Append(cell).Append("\">").Append(Encode(label)).Append("</td>")
                    .Append("<td style=\"").Append(cell).Append(";text-align:right\">").Append(Encode(value)).Append("</td></tr>");
            }
            html.Append("</table>");
            return;
        }
        html.Append("<p style=\"margin:0 0 16px;font-size:15px;line-height:1.5\">")
            .AppendJoin("<br>", lines.Select(l => Link().Replace(Encode(l.Trim()), "<a href=\"$0\" style=\"color:#2563eb\">$0</a>")))
            .Append("</p>");
    }

    /// <summary>A "label   value" line (two spaces or more between), or a rule of dashes; null for prose.</summary>
    private static (string Label, string Value, bool Rule)? Row(string line)
    {
        if (RuleLine().IsMatch(line)) return ("", "", true);
        var match = LabelValue().Match(line);
        return match.Success ? (match.Groups[1].Value, match.Groups[2].Value, false) : null;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>An http(s) address in encoded text (it ends at a space or a quote).</summary>
    [GeneratedRegex(@"https?://[^\s""<>]+")]
    private static partial Regex Link();

    [GeneratedRegex(@"^-{10,}$")]
    private static partial Regex RuleLine();

    [GeneratedRegex(@"^(\S.*?)\s{2,}(\S.*)$")]
    private static partial Regex LabelValue();
}
