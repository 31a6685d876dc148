package dev.kindling.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmsTextTest {

    @Test
    void gsm7TextsTakeOneSegmentUpTo160CharactersThen153EachAndTheExtensionTableCountsTwice() {
        assertThat(SmsText.of("a".repeat(160))).extracting(SmsText::encoding, SmsText::characters, SmsText::segments)
                .containsExactly(SmsText.Encoding.GSM_7, 160, 1);
        assertThat(SmsText.of("a".repeat(161)).segments()).isEqualTo(2);
        assertThat(SmsText.of("a".repeat(306)).segments()).isEqualTo(2);
        assertThat(SmsText.of("a".repeat(307)).segments()).isEqualTo(3);
        assertThat(SmsText.of("€".repeat(80))).extracting(SmsText::characters, SmsText::segments).containsExactly(160, 1);
        assertThat(SmsText.of("€".repeat(81)).segments()).as("162 septets").isEqualTo(2);
        assertThat(SmsText.of("Grüße aus Köln: 20% off {today} @ £5").encoding()).isEqualTo(SmsText.Encoding.GSM_7);
    }

    @Test
    void oneCharacterOutsideGsm7MakesTheWholeTextUcs2With70CharactersASegmentThen67() {
        assertThat(SmsText.of("Sale ends tonight 🎉").encoding()).isEqualTo(SmsText.Encoding.UCS_2);
        assertThat(SmsText.of("ç".repeat(70))).as("ç is not in GSM-7 (only Ç is)").extracting(SmsText::encoding, SmsText::segments)
                .containsExactly(SmsText.Encoding.UCS_2, 1);
        assertThat(SmsText.of("ç".repeat(71)).segments()).isEqualTo(2);
        assertThat(SmsText.of("ç".repeat(134)).segments()).isEqualTo(2);
        assertThat(SmsText.of("ç".repeat(135)).segments()).isEqualTo(3);
    }

    @Test
    void numbersBecomeE164InTheirCountryAndWhatIsNotANumberIsRefused() {
        assertThat(Phones.e164("(415) 555-2671", "US")).contains("+14155552671");
        assertThat(Phones.e164("+1 415 555 2671", null)).contains("+14155552671");
        assertThat(Phones.e164("07911 123456", "GB")).contains("+447911123456");
        assertThat(Phones.e164("07911 123456", "gb")).as("either case").contains("+447911123456");
        assertThat(Phones.e164("4155552671", null)).as("a national number with no country to read it in").isEmpty();
        assertThat(Phones.e164("12", "US")).isEmpty();
        assertThat(Phones.e164("call me maybe", "US")).isEmpty();
        assertThat(Phones.e164("+1" + "5".repeat(60), "US")).as("bounded work: a long text is not parsed").isEmpty();
        assertThat(Phones.country("+14155552671")).isEqualTo("US");
        assertThat(Phones.masked("+14155552671")).isEqualTo("********2671");
    }
}
