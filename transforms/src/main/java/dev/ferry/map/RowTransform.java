package dev.ferry.map;

import java.io.Serializable;

/**
 * A custom step after the declarative column rules, named by class in the mapping file
 * ({@code custom: com.example.NormalizePhone}). It needs a public no-argument constructor. It may
 * change any mapped column and read any source column; throwing rejects the row, which is then
 * dead-lettered with the exception's message (it is never silently dropped).
 */
public interface RowTransform extends Serializable {
  void apply(MappedRow row) throws Exception;
}
