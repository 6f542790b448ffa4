package dev.ferry.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextRepairTest {
  @Test
  void repairsUtf8ReadAsLatin1OrCp1252() {
    assertEquals("Café Müller", TextRepair.repairMojibake("CafÃ© MÃ¼ller"));
    assertEquals("São Paulo", TextRepair.repairMojibake("SÃ£o Paulo"));
    assertEquals("price €5 — ok", TextRepair.repairMojibake("price â‚¬5 â€” ok"));
    assertEquals("Zürich", TextRepair.repairMojibake("ZÃƒÂ¼rich"), "double damage");
  }

  /** UTF-8 in a latin1 column as MariaDB converts it: 'Ł' (C5 81) reads Å U+0081. */
  @Test
  void reversesMySqlLatin1WithItsFiveControlBytes() {
    assertEquals("Łódź Анна Ёлка", TextRepair.repairMojibake(
        "Å\u0081Ã³dÅº Ð\u0090Ð½Ð½Ð° Ð\u0081Ð»ÐºÐ°"));
    assertEquals("ÁÍÏÐÝ", TextRepair.repairMojibake("Ã\u0081Ã\u008dÃ\u008fÃ\u0090Ã\u009d"));
    assertEquals("Grüße €5", TextRepair.repairMojibake("Grüße €5"));
  }

  @Test
  void leavesCleanTextAlone() {
    for (String clean : new String[] {"Café", "é", "plain ascii", "東京", "Łukasz", "Ã alone",
        "naïve façade", ""}) {
      assertEquals(clean, TextRepair.repairMojibake(clean));
      assertFalse(TextRepair.looksDamaged(clean), clean);
    }
    assertTrue(TextRepair.looksDamaged("KÃ¶ln"));
  }
}
