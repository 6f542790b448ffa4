package dev.ferry.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.jdbc.Dialect;
import dev.ferry.record.Column;
import dev.ferry.record.ConversionException;
import java.math.BigDecimal;
import java.sql.Types;
import org.junit.jupiter.api.Test;

/** numeric(6,2) takes what it can store exactly and refuses what it would round or overflow. */
class DecimalFitTest {
  private final ValueBinder binder = ValueBinder.forColumn(
      new Column("price", Types.NUMERIC, "numeric", 6, 2, true), Dialect.POSTGRESQL);

  @Test
  void valuesThatFitAreKeptAsTheyAre() throws Exception {
    for (String v : new String[] {"0", "1.5", "1.50", "9999.99", "-9999.99", "1.5000", "1E+3",
        "0.000", "12.3400000", "9999.9900"}) {
      BigDecimal d = new BigDecimal(v);
      assertEquals(d, binder.convert(d), v);
    }
  }

  @Test
  void valuesThatWouldBeRoundedOrOverflowAreRefused() {
    for (String v : new String[] {"1.505", "10000", "10000.00", "-10000", "0.001", "1E+4",
        "99999.9"}) {
      ConversionException e = assertThrows(ConversionException.class,
          () -> binder.convert(new BigDecimal(v)), v);
      assertTrue(e.getMessage().startsWith("column price: "), e.getMessage());
    }
  }
}
