package dev.kindling.sms;

/**
 * How a text goes over the air, which is what it costs: in the GSM 03.38 alphabet (GSM-7, 7 bits a character) when
 * every character is in it, else in UCS-2 (16 bits). One segment holds 160 GSM-7 or 70 UCS-2 characters; a longer
 * text is split into segments of 153 or 67 (the rest is the header that joins them), and each segment is billed as
 * one message. A character of GSM-7's extension table ({@code €[]{}|^~\}) takes two places.
 *
 * @param characters the places it takes in its encoding: septets for GSM-7, UTF-16 units for UCS-2
 */
public record SmsText(String body, Encoding encoding, int characters, int segments) {

    public enum Encoding { GSM_7, UCS_2 }

    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION = "\f^{}\\[~]|€";

    public static SmsText of(String body) {
        int septets = 0;
        boolean gsm = true;
        for (int i = 0; i < body.length() && gsm; i++) {
            char c = body.charAt(i);
            if (BASIC.indexOf(c) >= 0) septets++;
            else if (EXTENSION.indexOf(c) >= 0) septets += 2;
            else gsm = false;
        }
        if (gsm) return new SmsText(body, Encoding.GSM_7, septets, segments(septets, 160, 153));
        return new SmsText(body, Encoding.UCS_2, body.length(), segments(body.length(), 70, 67));
    }

    private static int segments(int length, int single, int perPart) {
        if (length == 0) return 1;
        return length <= single ? 1 : (length + perPart - 1) / perPart;
    }
}
