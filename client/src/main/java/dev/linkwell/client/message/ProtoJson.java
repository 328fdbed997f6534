package dev.linkwell.client.message;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.UnknownFieldSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A protobuf message as JSON-ready maps, in the shape of protobuf's JSON mapping: fields by their lowerCamelCase
 * JSON name in field-number order, bytes as base64, enums by name, 64-bit integers as strings (JSON numbers lose
 * precision past 2^53). Our schema is a subset of WhatsApp's, so fields it does not know are not dropped: they
 * come under {@code "unknownFields"}, by field number, each value the base64 of the field's wire bytes.
 */
public final class ProtoJson {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private ProtoJson() {}

    public static Map<String, Object> toMap(MessageOrBuilder message) {
        Map<String, Object> out = new LinkedHashMap<>();
        message.getAllFields().entrySet().stream()
                .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.getNumber(), b.getNumber())))
                .forEach(e -> out.put(e.getKey().getJsonName(), value(e.getKey(), e.getValue())));
        UnknownFieldSet unknown = message.getUnknownFields();
        if (!unknown.asMap().isEmpty()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            unknown.asMap().forEach((number, field) -> {
                List<String> values = new ArrayList<>();
                field.getLengthDelimitedList().forEach(b -> values.add(BASE64.encodeToString(b.toByteArray())));
                field.getVarintList().forEach(v -> values.add(Long.toUnsignedString(v)));
                field.getFixed32List().forEach(v -> values.add(Integer.toUnsignedString(v)));
                field.getFixed64List().forEach(v -> values.add(Long.toUnsignedString(v)));
                field.getGroupList().forEach(g -> values.add(BASE64.encodeToString(g.toByteArray())));
                fields.put(Integer.toString(number), values.size() == 1 ? values.getFirst() : values);
            });
            out.put("unknownFields", fields);
        }
        return out;
    }

    private static Object value(FieldDescriptor field, Object value) {
        if (field.isRepeated()) {
            List<Object> list = new ArrayList<>();
            for (Object item : (List<?>) value) {
                list.add(single(field, item));
            }
            return list;
        }
        return single(field, value);
    }

    private static Object single(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case MESSAGE -> toMap((MessageOrBuilder) value);
            case BYTE_STRING -> BASE64.encodeToString(((ByteString) value).toByteArray());
            case ENUM -> ((EnumValueDescriptor) value).getName();
            case LONG ->
                field.getType() == FieldDescriptor.Type.UINT64 || field.getType() == FieldDescriptor.Type.FIXED64
                        ? Long.toUnsignedString((Long) value)
                        : Long.toString((Long) value);
            case INT ->
                field.getType() == FieldDescriptor.Type.UINT32 || field.getType() == FieldDescriptor.Type.FIXED32
                        ? Integer.toUnsignedLong((Integer) value)
                        : value;
            case DOUBLE, FLOAT, BOOLEAN, STRING -> value;
        };
    }
}
