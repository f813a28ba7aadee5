import Foundation
import ParapetCore
import Testing
@testable import ParapetPolicy

@Suite("Sigma matching semantics")
struct MatchingSemanticsTests {
    @Test("maps are AND, lists are OR, case-insensitive by default")
    func mapsAndLists() throws {
        let rule = try RuleHarness(detection: """
            sel:
                eventSource: cloudtrail.amazonaws.com
                eventName: [StopLogging, DeleteTrail]
            condition: sel
            """)
        #expect(try rule.matches(json: #"{"eventSource":"CloudTrail.amazonaws.com","eventName":"deletetrail"}"#))
        #expect(try !rule.matches(json: #"{"eventSource":"cloudtrail.amazonaws.com","eventName":"StartLogging"}"#))
        #expect(try !rule.matches(json: #"{"eventName":"StopLogging"}"#))
    }

    @Test("a list of maps is OR of ANDs")
    func listOfMaps() throws {
        let rule = try RuleHarness(detection: """
            sel:
                - eventSource: ssm.amazonaws.com
                - eventName: RegisterManagedInstance
                  errorCode: null
            condition: sel
            """)
        #expect(try rule.matches(json: #"{"eventSource":"ssm.amazonaws.com"}"#))
        #expect(try rule.matches(json: #"{"eventName":"RegisterManagedInstance"}"#))
        #expect(try !rule.matches(json: #"{"eventName":"RegisterManagedInstance","errorCode":"Denied"}"#))
    }

    @Test("* and ? wildcards, and backslash escapes make them plain")
    func wildcards() throws {
        let rule = try RuleHarness(detection: "sel:\n    m: 'io.k8s.core.v?.secrets.*'\ncondition: sel")
        #expect(try rule.matches(json: #"{"m":"io.k8s.core.v1.secrets.delete"}"#))
        #expect(try !rule.matches(json: #"{"m":"io.k8s.core.v12.secrets.delete"}"#))
        let middle = try RuleHarness(detection: "sel:\n    m: 'a*b*c'\ncondition: sel")
        #expect(try middle.matches(json: #"{"m":"aXXbYYc"}"#))
        #expect(try middle.matches(json: #"{"m":"abc"}"#))
        #expect(try !middle.matches(json: #"{"m":"acb"}"#))
        let escapedStar = try RuleHarness(detection: #"sel:\#n    m: 'a\*b'\#ncondition: sel"#)
        #expect(try escapedStar.matches(json: #"{"m":"a*b"}"#))
        #expect(try !escapedStar.matches(json: #"{"m":"axb"}"#))
        let escapedQuestion = try RuleHarness(detection: #"sel:\#n    m: 'why\?'\#ncondition: sel"#)
        #expect(try escapedQuestion.matches(json: #"{"m":"why?"}"#))
        #expect(try !escapedQuestion.matches(json: #"{"m":"whyX"}"#))
        let backslashThenStar = try RuleHarness(detection: #"sel:\#n    m: 'C:\\*'\#ncondition: sel"#)
        #expect(try backslashThenStar.matches(json: #"{"m":"C:\\Windows"}"#))
        let plainBackslash = try RuleHarness(detection: #"sel:\#n    m: 'C:\Windows'\#ncondition: sel"#)
        #expect(try plainBackslash.matches(json: #"{"m":"c:\\windows"}"#))
        let question = try RuleHarness(detection: "sel:\n    m: 'caf?'\ncondition: sel")
        #expect(try question.matches(json: #"{"m":"café"}"#))
    }

    @Test("non-ASCII text is compared case-insensitively too")
    func unicodeCase() throws {
        let rule = try RuleHarness(detection: "sel:\n    m|contains: 'STRASSE ÄRGER'\ncondition: sel")
        #expect(try rule.matches(json: #"{"m":"die strasse ärger"}"#))
    }

    @Test("null matches an absent or null field; '' matches only an empty string")
    func nullAndEmpty() throws {
        let null = try RuleHarness(detection: "sel:\n    errorCode: null\ncondition: sel")
        #expect(try null.matches(json: #"{"errorCode":null}"#))
        #expect(try null.matches(json: #"{}"#))
        #expect(try !null.matches(json: #"{"errorCode":""}"#))
        #expect(try !null.matches(json: #"{"errorCode":[]}"#))
        let empty = try RuleHarness(detection: "sel:\n    errorCode: ''\ncondition: sel")
        #expect(try empty.matches(json: #"{"errorCode":""}"#))
        #expect(try !empty.matches(json: #"{}"#))
        #expect(try !empty.matches(json: #"{"errorCode":null}"#))
    }

    @Test("numbers and booleans match by value and by text")
    func numbersAndBooleans() throws {
        let number = try RuleHarness(detection: "sel:\n    code: 403\ncondition: sel")
        #expect(try number.matches(json: #"{"code":403}"#))
        #expect(try number.matches(json: #"{"code":"403"}"#))
        #expect(try !number.matches(json: #"{"code":404}"#))
        let bool = try RuleHarness(detection: "sel:\n    publiclyAccessible: true\ncondition: sel")
        #expect(try bool.matches(json: #"{"publiclyAccessible":true}"#))
        #expect(try bool.matches(json: #"{"publiclyAccessible":"TRUE"}"#))
        #expect(try !bool.matches(json: #"{"publiclyAccessible":false}"#))
        let quoted = try RuleHarness(detection: "sel:\n    publiclyAccessible: 'true'\ncondition: sel")
        #expect(try quoted.matches(json: #"{"publiclyAccessible":true}"#))
        let quotedNumber = try RuleHarness(detection: "sel:\n    code: '40*'\ncondition: sel")
        #expect(try quotedNumber.matches(json: #"{"code":403}"#))
    }

    @Test("nested fields by dotted path, and keys that contain dots")
    func dottedPaths() throws {
        let nested = try RuleHarness(detection: "sel:\n    userIdentity.sessionContext.sessionIssuer.type: Role\ncondition: sel")
        #expect(try nested.matches(json: #"{"userIdentity":{"sessionContext":{"sessionIssuer":{"type":"Role"}}}}"#))
        let dotted = try RuleHarness(detection: "sel:\n    labels.authorization.k8s.io/decision: allow\ncondition: sel")
        #expect(try dotted.matches(json: #"{"labels":{"authorization.k8s.io/decision":"allow"}}"#))
        let literal = try RuleHarness(detection: "sel:\n    gcp.audit.method_name: x\ncondition: sel")
        #expect(try literal.matches(json: #"{"gcp.audit.method_name":"x"}"#))
    }

    @Test("a list-valued field matches when any element matches, also through lists on the path")
    func listValues() throws {
        let rule = try RuleHarness(product: "gcp", service: "gcp.audit", detection: """
            sel:
                data.protoPayload.authorizationInfo.permission: accesscontextmanager.accessPolicies.delete
                data.protoPayload.authorizationInfo.granted: 'true'
            condition: sel
            """)
        #expect(try rule.matches(json: #"{"protoPayload":{"authorizationInfo":[{"permission":"x","granted":false},{"permission":"accesscontextmanager.accessPolicies.delete","granted":true}]}}"#))
        #expect(try !rule.matches(json: #"{"protoPayload":{"authorizationInfo":[{"permission":"accesscontextmanager.accessPolicies.delete","granted":false}]}}"#))
        let layers = try RuleHarness(detection: "sel:\n    requestParameters.layers|contains: '*'\ncondition: sel")
        #expect(try layers.matches(json: #"{"requestParameters":{"layers":["arn:aws:lambda:layer:1"]}}"#))
        #expect(try !layers.matches(json: #"{"requestParameters":{"layers":[]}}"#))
        #expect(try !layers.matches(json: #"{"requestParameters":{}}"#))
    }

    @Test("a value compared with an object-valued field matches any scalar inside it")
    func objectValues() throws {
        let rule = try RuleHarness(detection: "sel:\n    responseElements|contains: Failure\ncondition: sel")
        #expect(try rule.matches(json: #"{"responseElements":{"exportTask":{"state":"Failure"}}}"#))
        #expect(try !rule.matches(json: #"{"responseElements":{"Failure":"ok"}}"#))
        let all = try RuleHarness(detection: "sel:\n    requestParameters|contains|all: ['\"s3:GetObject\"', '\"Allow\"']\ncondition: sel")
        #expect(try all.matches(json: #"{"requestParameters":{"policyDocument":"{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\"}"}}"#))
        #expect(try !all.matches(json: #"{"requestParameters":{"policyDocument":"{\"Effect\":\"Deny\",\"Action\":\"s3:GetObject\"}"}}"#))
    }

    @Test("keywords search every value of the event as substrings, not the field names")
    func keywords() throws {
        let rule = try RuleHarness(product: "azure", service: "activitylogs", detection: """
            keywords:
                - Microsoft.Authorization/roleAssignments/write
            condition: keywords
            """)
        #expect(try rule.matches(json: #"{"operationName":"MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE"}"#))
        #expect(try rule.matches(json: #"{"properties":{"nested":["x","see Microsoft.Authorization/roleAssignments/write here"]}}"#))
        #expect(try !rule.matches(json: #"{"Microsoft.Authorization/roleAssignments/write":"no"}"#))
        let all = try RuleHarness(detection: "keywords:\n    '|all': [alpha, beta]\ncondition: keywords")
        #expect(try all.matches(json: #"{"a":"alpha","b":{"c":"beta"}}"#))
        #expect(try !all.matches(json: #"{"a":"alpha"}"#))
    }

    @Test("keywords match numbers and booleans as their text, and never across two values")
    func keywordsAcrossValues() throws {
        let rule = try RuleHarness(detection: "keywords:\n    - 'ab'\n    - '4043'\n    - 'rue'\ncondition: keywords")
        #expect(try rule.matches(json: #"{"a":"xxAByy"}"#))
        #expect(try rule.matches(json: #"{"n":[1, 40430]}"#))
        #expect(try rule.matches(json: #"{"flag":true}"#))
        #expect(try !rule.matches(json: #"{"a":"xa","b":"bx","n":404,"m":3,"f":false}"#))
        #expect(try !rule.matches(json: #"{"a":"a\u0000b"}"#))
        let accented = try RuleHarness(detection: "keywords:\n    - 'été'\ncondition: keywords")
        #expect(try accented.matches(json: #"{"a":"L'ÉTÉ"}"#))
    }
}
